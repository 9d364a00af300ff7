namespace Coexistence.Webhooks;

/// <summary>
/// One change found in a webhook body: the partner envelope has exactly one (its <c>data</c>), a
/// Meta envelope has one per <c>entry[].changes[]</c> item. <see cref="Value"/> is the change's
/// <c>value</c> (or <c>data</c>) object, byte for byte as it arrived.
/// </summary>
public sealed record WebhookChange(
    int Index,
    string Field,
    WebhookKind? Kind,
    string? PhoneNumberId,
    string? DisplayPhoneNumber,
    string? WabaId,
    string? EventId,
    string Pointer,
    ReadOnlyMemory<byte> Value);

/// <summary>The result of reading a webhook body: its changes, or the one problem that makes it unacceptable.</summary>
public sealed record WebhookReading(IReadOnlyList<WebhookChange> Changes, WebhookProblem? Problem)
{
    public bool IsAccepted => Problem is null;
    public static WebhookReading Rejected(WebhookProblem problem) => new([], problem);
}
