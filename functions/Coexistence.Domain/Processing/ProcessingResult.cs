using Coexistence.Webhooks;

namespace Coexistence.Processing;

public enum ProcessingOutcome
{
    /// <summary>Every usable item is in the tables (bad items quarantined): complete the message.</summary>
    Processed,
    /// <summary>The message can never succeed (unreadable, claim check gone): dead-letter / poison it with the reason.</summary>
    Rejected,
}

/// <summary>What one queue message did. Counts only; nothing personal, so it can be logged as is.</summary>
public sealed record ProcessingResult(
    ProcessingOutcome Outcome,
    WebhookKind? Kind,
    string? PhoneNumberId,
    string? Reason = null,
    int Messages = 0,
    int Facets = 0,
    int Contacts = 0,
    int Chunks = 0,
    int Quarantined = 0,
    int TableBatches = 0)
{
    public static ProcessingResult Rejected(string reason, WebhookKind? kind = null, string? phoneNumberId = null) =>
        new(ProcessingOutcome.Rejected, kind, phoneNumberId, reason);
}
