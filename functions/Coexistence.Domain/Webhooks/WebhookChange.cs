namespace Coexistence.Webhooks;

/// <summary>
/// One change found in a webhook body: the partner envelope has exactly one (its <c>data</c>), a
/// Meta envelope has one per <c>entry[].changes[]</c> item. <see cref="Value"/> is the change's
/// <c>value</c> (or <c>data</c>) object, byte for byte as it arrived.
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
    ReadOnlyMemory<byte> Value);
