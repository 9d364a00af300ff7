namespace Coexistence.Model;

/// <summary>
/// A message as one history chunk or one echo describes it. It creates the message's row in its chat;
/// later facts about it (media follow-up, edit, revoke) are <see cref="MessageFact"/>s. <see cref="Id"/> is its wamid.
/// <see cref="Moved"/> (never stored) marks a copy that the identity store writes to move the message into another
/// chat: its chat is the one the message belongs in now. <see cref="CustomerReaction"/> and <see cref="BusinessReaction"/>
/// are each side's latest reaction when it came with the message (a history chunk holding both) or was applied since.
/// </summary>
internal sealed record ChatMessage(
    string Id,
    string ChatId,
    Direction Direction,
    string From,
    string To,
    long Timestamp,
    string Type,
    string? Status,
    MessageSource Source,
    string? Text,
    MediaInfo? Media,
    string? ContentJson,
    string? UserId = null,
    string? ParentUserId = null,
    string? Username = null,
    bool Moved = false,
    MessageContext? Context = null,
    string? ErrorsJson = null,
    MessageReaction? CustomerReaction = null,
    MessageReaction? BusinessReaction = null)
{
    public const string PlaceholderType = "media_placeholder";

    /// <summary>
    /// The one message two copies of the same wamid make (a history chunk's and an echo's, or two deliveries),
    /// whichever arrived first (docs/data-model.md, "One row per message"):
    /// <list type="bullet">
    /// <item>its time is the earlier of the two (history gives the device's time, an echo the webhook's);</item>
    /// <item>its content is the more complete copy's: an echo's over history's, real content over a
    /// <c>media_placeholder</c>, and between equals the greater by content, so that the choice never depends on the order;</item>
    /// <item>what that copy lacks is taken from the other (history's status, say); the chat is a moved copy's (see
    /// <see cref="Moved"/>), else the lower chat id (a phone's before a user id's).</item>
    /// </list>
    /// </summary>
    public ChatMessage MergeWith(ChatMessage other)
    {
        var (winner, loser) = CompareContent(this, other) >= 0 ? (this, other) : (other, this);
        return (winner with
        {
            ChatId = Moved != other.Moved ? (Moved ? ChatId : other.ChatId)
                : string.CompareOrdinal(ChatId, other.ChatId) <= 0 ? ChatId : other.ChatId,
            Moved = false,
            Timestamp = Math.Min(Timestamp, other.Timestamp),
            Status = winner.Status ?? loser.Status,
            Text = winner.Text ?? loser.Text,
            Media = winner.Media ?? loser.Media,
            ContentJson = winner.ContentJson ?? loser.ContentJson,
            UserId = winner.UserId ?? loser.UserId,
            ParentUserId = winner.ParentUserId ?? loser.ParentUserId,
            Username = winner.Username ?? loser.Username,
            Context = winner.Context ?? loser.Context,
            ErrorsJson = winner.ErrorsJson ?? loser.ErrorsJson,
            // Reactions are facts of their own: each side's latest, whichever copy holds it.
            CustomerReaction = Latest(CustomerReaction, other.CustomerReaction),
            BusinessReaction = Latest(BusinessReaction, other.BusinessReaction),
        }).NamingItsChat();
    }

    /// <summary>
    /// In a phone's chat, the customer's side (<c>From</c> or <c>To</c>) names the phone, not a user id that a copy gave
    /// (the user id is kept in <see cref="UserId"/>): so a copy merged into a chat moved to the phone reads the same as
    /// one that was written there (docs/data-model.md, "Customer identity"). The business's number is digits and never changes.
    /// </summary>
    public ChatMessage NamingItsChat()
    {
        if (!CustomerIdentity.IsPhoneId(ChatId)) return this;
        var byUserId = !CustomerIdentity.IsPhoneId(From) ? From : !CustomerIdentity.IsPhoneId(To) ? To : null;
        if (byUserId is null) return this;
        return this with
        {
            From = CustomerIdentity.IsPhoneId(From) ? From : ChatId,
            To = CustomerIdentity.IsPhoneId(To) ? To : ChatId,
            UserId = UserId ?? byUserId,
        };
    }

    /// <summary>A total order on what a copy says (not its time or chat): zero only for copies that say the same.</summary>
    private static int CompareContent(ChatMessage a, ChatMessage b)
    {
        int c;
        if ((c = Rank(a.Source).CompareTo(Rank(b.Source))) != 0) return c;
        if ((c = (a.Type != PlaceholderType).CompareTo(b.Type != PlaceholderType)) != 0) return c;
        if ((c = string.CompareOrdinal(a.Type, b.Type)) != 0) return c;
        if ((c = string.CompareOrdinal(a.Text, b.Text)) != 0) return c;
        if ((c = string.CompareOrdinal(a.ContentJson, b.ContentJson)) != 0) return c;
        if ((c = string.CompareOrdinal(MediaKey(a.Media), MediaKey(b.Media))) != 0) return c;
        if ((c = string.CompareOrdinal(a.Status, b.Status)) != 0) return c;
        if ((c = a.Direction.CompareTo(b.Direction)) != 0) return c;
        // Between copies that differ only in how they name the customer, the one naming a phone (digits sort before a
        // user id's letters) speaks: the lower wins here.
        if ((c = string.CompareOrdinal(b.From, a.From)) != 0) return c;
        if ((c = string.CompareOrdinal(b.To, a.To)) != 0) return c;
        if ((c = string.CompareOrdinal(a.UserId, b.UserId)) != 0) return c;
        if ((c = string.CompareOrdinal(a.ParentUserId, b.ParentUserId)) != 0) return c;
        if ((c = string.CompareOrdinal(a.Username, b.Username)) != 0) return c;
        if ((c = string.CompareOrdinal(ContextKey(a.Context), ContextKey(b.Context))) != 0) return c;
        return string.CompareOrdinal(a.ErrorsJson, b.ErrorsJson);
    }

    /// <summary>Which source's copy speaks for the content: a live copy (an echo, or the <c>messages</c> field) over history's.</summary>
    private static int Rank(MessageSource source) => source == MessageSource.History ? 0 : 1;

    private static MessageReaction? Latest(MessageReaction? a, MessageReaction? b) => b is not null && b.Supersedes(a) ? b : a;

    /// <summary>This message with <paramref name="reaction"/> on it, when it is its side's latest.</summary>
    public ChatMessage WithReaction(MessageReaction reaction) => reaction.Side == Direction.Inbound
        ? this with { CustomerReaction = Latest(CustomerReaction, reaction) }
        : this with { BusinessReaction = Latest(BusinessReaction, reaction) };

    private static string? ContextKey(MessageContext? context) =>
        context is null ? null : $"{context.ReplyToId}\u0001{context.ReplyToFrom}\u0001{context.Forwarded}\u0001{context.FrequentlyForwarded}\u0001{context.ReferralJson}";

    private static string? MediaKey(MediaInfo? media) =>
        media is null ? null : $"{media.Id}\u0001{media.MimeType}\u0001{media.Sha256}\u0001{media.Caption}";
}
