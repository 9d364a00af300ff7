using Coexistence.Http;

namespace Coexistence.Intake;

public sealed record IntakeResult(IntakeOutcome Outcome, string? WebhookId, IReadOnlyList<AcceptedChange> Changes, Problem? Problem)
{
    public static IntakeResult Accepted(string webhookId, IReadOnlyList<AcceptedChange> changes) => new(IntakeOutcome.Accepted, webhookId, changes, null);
    public static IntakeResult Rejected(Problem problem) => new(IntakeOutcome.Rejected, null, [], problem);
    public static IntakeResult Unavailable(string detail) =>
        new(IntakeOutcome.Unavailable, null, [], new Problem("storage-unavailable", "The webhook could not be stored", detail, null, 503));
}
