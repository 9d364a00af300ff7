namespace Coexistence.Operations;

/// <summary>
/// An erasure as the Numbers table records it (<c>x|number</c> or <c>x|c|{customerId}</c>, docs/data-model.md): when it
/// began (<see cref="ErasedAt"/>: changes of webhooks first received until then are dropped), by whom, its state
/// (<c>erasing</c>, then <c>erased</c>), when it completed, and what it removed. <see cref="CustomerId"/> is null for
/// the number's erasure; <see cref="ErasedIds"/> are the customer's ids it covered (the one asked for first).
/// </summary>
public sealed record ErasureRecord(string PhoneNumberId, string? CustomerId, IReadOnlyList<string> ErasedIds, DateTimeOffset ErasedAt,
    string ErasedBy, string State, DateTimeOffset? CompletedAt, ErasureCounts Counts);
