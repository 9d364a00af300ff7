namespace Coexistence.Model;

/// <summary>
/// What a message refers to, as its item says (docs/data-model.md, "Chat row"): the message it quotes
/// (<c>context.id</c>, <c>context.from</c>), whether it was forwarded (<c>context.forwarded</c>,
/// <c>context.frequently_forwarded</c>), and the ad or post it came from (<c>referral</c>, raw JSON, truncated).
/// </summary>
internal sealed record MessageContext(string? ReplyToId, string? ReplyToFrom, bool Forwarded, bool FrequentlyForwarded, string? ReferralJson)
{
    public bool IsEmpty => ReplyToId is null && ReplyToFrom is null && !Forwarded && !FrequentlyForwarded && ReferralJson is null;
}
