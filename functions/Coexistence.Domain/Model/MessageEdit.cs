namespace Coexistence.Model;

/// <summary>An echo <c>edit</c>: new content for a message.</summary>
internal sealed record MessageEdit(string MessageId, string EditId, long Timestamp, string? Type, string? Text, string? Caption) : MessageFact(MessageId)
{
    public override string FactKey => "edit|" + EditId;

    /// <summary>Whether this edit replaces <paramref name="current"/>: the latest edit wins, by timestamp, then by edit id (ordinal).</summary>
    public bool Supersedes(MessageEdit? current) =>
        current is null || Timestamp > current.Timestamp
        || (Timestamp == current.Timestamp && string.CompareOrdinal(EditId, current.EditId) > 0);
}
