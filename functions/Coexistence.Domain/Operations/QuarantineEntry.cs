namespace Coexistence.Operations;

/// <summary>
/// One Quarantine row: a single item set aside (<see cref="Type"/> <c>item</c>, the rest of its change was kept) or a
/// whole change message that can never be processed (<c>change</c>, also in a poison queue or dead-letter queue).
/// The item's or message's content is not carried here: it holds personal data, and the raw archive
/// (<see cref="ArchiveBlob"/>) has it byte for byte.
/// </summary>
public sealed record QuarantineEntry(
    string Type,
    string? Kind,
    string Reason,
    string? Pointer,
    string? WebhookId,
    int? ChangeIndex,
    string? ChangeId,
    string? ArchiveBlob,
    DateTimeOffset? At);
