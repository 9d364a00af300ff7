namespace Coexistence.Webhooks;

/// <summary>
/// One change found in a webhook body: the partner envelope has exactly one (its <c>data</c>), a
/// Meta envelope has one per <c>entry[].changes[]</c> item. <see cref="Value"/> is the change's
/// <c>value</c> (or <c>data</c>) object, byte for byte as it arrived. <see cref="EntryTime"/>: the Meta entry's
/// <c>time</c> (unix seconds), read for <c>account_update</c> changes only.
/// </summary>
internal sealed record WebhookChange(
    int Index,
    string Field,
    WebhookKind? Kind,
    string? PhoneNumberId,
    string? DisplayPhoneNumber,
    string? WabaId,
    string? EventId,
    string Pointer,
    ReadOnlyMemory<byte> Value,
    long? EntryTime = null);
