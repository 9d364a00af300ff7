namespace Coexistence.Intake;

public enum IntakeOutcome
{
    /// <summary>Archived and every processable change enqueued: answer 202.</summary>
    Accepted,
    /// <summary>The body is not an acceptable webhook: answer 4xx, nothing was stored.</summary>
    Rejected,
    /// <summary>Our storage or queue failed in a way a retry can fix (throttled, unreachable, too slow): answer 503 so the sender retries.</summary>
    Unavailable,
    /// <summary>
    /// Our storage or queue refused the webhook for good (a queue that does not exist or is disabled, a message too large
    /// for it, a storage 400): the fault of this deployment, not of the body, and no retry fixes it until we do. Answer
    /// 500, logged as an error; the sender's retries succeed once it is fixed.
    /// </summary>
    Failed,
}
