namespace Coexistence.Model;

/// <summary>A history media follow-up: the real type and media of a <c>media_placeholder</c>.</summary>
internal sealed record MediaFollowUp(string MessageId, string Type, MediaInfo Media) : MessageFact(MessageId)
{
    public override string FactKey => "media";

    /// <summary>
    /// Whether this follow-up replaces <paramref name="current"/>. Two different follow-ups for one message would be
    /// a provider bug; the greatest is kept, so the result is the same whatever order they arrive in. The same
    /// follow-up again changes nothing.
    /// </summary>
    public bool Supersedes(MediaFollowUp? current) =>
        current is null || string.CompareOrdinal(OrderKey(this), OrderKey(current)) > 0;

    private static string OrderKey(MediaFollowUp f) =>
        $"{f.Type}\u0001{f.Media.Id}\u0001{f.Media.MimeType}\u0001{f.Media.Sha256}\u0001{f.Media.Caption}";
}
