using Coexistence.Webhooks;

namespace Coexistence.Changes;

/// <summary>
/// The queue message that carries one change of one webhook from the door to its consumer.
/// Versioned public contract, written down in docs/queue-messages.md. The change's <c>value</c>
/// travels inline in <see cref="Payload"/>, or, when the message would be too large for the queue,
/// as a byte range of the raw archive blob (<see cref="PayloadRange"/>).
/// </summary>
internal sealed record ChangeMessage
{
    /// <summary>
    /// The format version, the only one written and read. (Version 1, from before the archive range, was never
    /// deployed; it is not read.)
    /// </summary>
    public const int Version = 2;

    public required WebhookKind Kind { get; init; }
    /// <summary>The business number; null only for an <see cref="WebhookKind.AccountUpdate"/> that names none (it names a WABA).</summary>
    public required string? PhoneNumberId { get; init; }
    /// <summary>The business number's display digits; null only for an <see cref="WebhookKind.AccountUpdate"/>.</summary>
    public required string? DisplayPhoneNumber { get; init; }
    /// <summary>When the change happened by its sender's clock (the Meta entry's <c>time</c>), for account events; else null.</summary>
    public long? OccurredAt { get; init; }
    public string? WabaId { get; init; }
    public string? EventId { get; init; }
    /// <summary>Lower-case hex SHA-256 of the whole raw webhook body: the same body always has the same id.</summary>
    public required string WebhookId { get; init; }
    /// <summary>Position of this change among all changes of the webhook (0 for the partner envelope).</summary>
    public required int ChangeIndex { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Name of the blob in the raw archive container that holds the whole body.</summary>
    public required string ArchiveBlob { get; init; }
    /// <summary>The change's value object, byte for byte; empty when <see cref="PayloadRange"/> is set.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>
    /// Where the value is when it was too large to travel inline: these bytes of <see cref="ArchiveBlob"/> (the raw
    /// body is immutable and written before any message is sent, so it is the claim check).
    /// </summary>
    public PayloadRange? PayloadRange { get; init; }
    /// <summary>
    /// W3C traceparent of the door's enqueue, so the consumer's processing joins the webhook's trace.
    /// Optional: readers ignore fields they do not know (docs/queue-messages.md).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// The change id, <c>{webhookId}-{changeIndex}</c>: identifies this change of this body (in logs, Quarantine keys,
    /// and as the Service Bus <c>MessageId</c>); providers' retries of the same body produce the same id.
    /// </summary>
    public string ChangeId => $"{WebhookId}-{ChangeIndex}";

    /// <summary>The business number of a change of a number's kind (every kind but account events), which always names one.</summary>
    public string Number => PhoneNumberId ?? throw new InvalidOperationException($"A {Kind.ToField()} change names no phone_number_id.");

    /// <summary>The business number's display digits, for the same kinds as <see cref="Number"/>.</summary>
    public string Display => DisplayPhoneNumber ?? throw new InvalidOperationException($"A {Kind.ToField()} change names no display number.");
}
