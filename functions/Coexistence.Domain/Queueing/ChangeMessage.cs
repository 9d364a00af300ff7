using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// The queue message that carries one change of one webhook from the door to its consumer.
/// Versioned public contract, written down in docs/queue-messages.md. The change's <c>value</c>
/// travels inline in <see cref="Payload"/>, or, when the message would be too large for the queue,
/// in a claim-check blob named by <see cref="PayloadBlob"/>.
/// </summary>
public sealed record ChangeMessage
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required WebhookKind Kind { get; init; }
    public required string PhoneNumberId { get; init; }
    public required string DisplayPhoneNumber { get; init; }
    public string? WabaId { get; init; }
    public string? EventId { get; init; }
    /// <summary>Lower-case hex SHA-256 of the whole raw webhook body: the same body always has the same id.</summary>
    public required string WebhookId { get; init; }
    /// <summary>Position of this change among all changes of the webhook (0 for the partner envelope).</summary>
    public required int ChangeIndex { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>Name of the blob in the raw archive container that holds the whole body.</summary>
    public required string ArchiveBlob { get; init; }
    /// <summary>The change's value object, byte for byte; empty when <see cref="PayloadBlob"/> is set.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>Blob in the claim-check container holding the value, when it was too large to travel inline.</summary>
    public string? PayloadBlob { get; init; }
    /// <summary>
    /// W3C traceparent of the door's enqueue, so the consumer's processing joins the webhook's trace.
    /// Optional and added within version 1: readers ignore fields they do not know (docs/queue-messages.md).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>Identifies this change of this body; providers' retries of the same body produce the same id.</summary>
    public string MessageId => $"{WebhookId}-{ChangeIndex}";
}
