namespace Coexistence.Model;

/// <summary>An echo <c>revoke</c>: the business deleted the message.</summary>
internal sealed record MessageRevoke(string MessageId, string RevokeId, long Timestamp) : MessageFact(MessageId)
{
    public override string FactKey => "revoke";

    /// <summary>Whether this revoke replaces <paramref name="current"/>: the earliest revoke is the one kept, by timestamp, then revoke id.</summary>
    public bool Supersedes(MessageRevoke? current) =>
        current is null || (current.Timestamp, current.RevokeId).CompareTo((Timestamp, RevokeId)) > 0;
}
