using Coexistence.Webhooks;

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

/// <summary>One change of an accepted webhook, as the door reports it (safe to return and to log).</summary>
public sealed record AcceptedChange(int Index, string Field, string? PhoneNumberId, bool Queued, bool ClaimChecked);

public sealed record IntakeResult(IntakeOutcome Outcome, string? WebhookId, IReadOnlyList<AcceptedChange> Changes, WebhookProblem? Problem)
{
    public static IntakeResult Accepted(string webhookId, IReadOnlyList<AcceptedChange> changes) => new(IntakeOutcome.Accepted, webhookId, changes, null);
    public static IntakeResult Rejected(WebhookProblem problem) => new(IntakeOutcome.Rejected, null, [], problem);
    public static IntakeResult Unavailable(string detail) =>
        new(IntakeOutcome.Unavailable, null, [], new WebhookProblem("storage-unavailable", "The webhook could not be stored", detail, null, 503));
}
