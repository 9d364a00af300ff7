using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// What one queue message did. Counts only; nothing personal, so it can be logged as is. <see cref="Dropped"/>: the change
/// was processed by writing nothing, its number having been erased after the webhook was received.
/// </summary>
public sealed record ProcessingResult(
    ProcessingOutcome Outcome,
    WebhookKind? Kind,
    string? PhoneNumberId,
    string? Reason = null,
    int Messages = 0,
    int Facts = 0,
    int Statuses = 0,
    int Contacts = 0,
    int Chunks = 0,
    int Quarantined = 0,
    int TableBatches = 0,
    bool Dropped = false)
{
    public static ProcessingResult Rejected(string reason, WebhookKind? kind = null, string? phoneNumberId = null) =>
        new(ProcessingOutcome.Rejected, kind, phoneNumberId, reason);
}
