namespace Coexistence.Intake;

public enum IntakeOutcome
{
    /// <summary>Archived and every processable change enqueued: answer 202.</summary>
    Accepted,
    /// <summary>The body is not an acceptable webhook: answer 4xx, nothing was stored.</summary>
    Rejected,
    /// <summary>Our storage or queue failed: answer 503 so the sender retries.</summary>
    Unavailable,
}
