using Coexistence.Http;

namespace Coexistence.Intake;

/// <param name="Duplicate">Accepted, and an earlier delivery of the same body had queued every change: nothing was queued again.</param>
public sealed record IntakeResult(IntakeOutcome Outcome, string? WebhookId, IReadOnlyList<AcceptedChange> Changes, Problem? Problem, bool Duplicate = false)
{
    public static IntakeResult Accepted(string webhookId, IReadOnlyList<AcceptedChange> changes, bool duplicate = false) =>
        new(IntakeOutcome.Accepted, webhookId, changes, null, duplicate);
    public static IntakeResult Rejected(Problem problem) => new(IntakeOutcome.Rejected, null, [], problem);
    public static IntakeResult Unavailable(string detail) =>
        new(IntakeOutcome.Unavailable, null, [], new Problem("storage-unavailable", "The webhook could not be stored", detail, null, 503));
    public static IntakeResult Failed(string detail) =>
        new(IntakeOutcome.Failed, null, [], new Problem(StorageRefused, "The webhook could not be stored", detail, null, 500));

    /// <summary>The problem code of <see cref="IntakeOutcome.Failed"/> (docs/http-api.md).</summary>
    public const string StorageRefused = "storage-refused";
}
