namespace Coexistence.Model;

/// <summary>
/// A fact about a message that may arrive before or after the message itself (a media follow-up, an edit, a revoke).
/// Until its message is stored it waits as a pending row; each kind decides which of two facts wins, so that any
/// order of arrival ends in the same message.
/// </summary>
internal abstract record MessageFact(string MessageId)
{
    /// <summary>Distinguishes the facts of one message in the pending-fact key.</summary>
    public abstract string FactKey { get; }
}
