using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// The queue message that carries one change of one webhook from the door to its consumer.
/// Versioned public contract, written down in docs/queue-messages.md. The change's <c>value</c>
/// travels inline in <see cref="Payload"/> (version 1), or, when the message would be too large for
/// the queue, as a byte range of the raw archive blob (<see cref="PayloadRange"/>, version 2). Messages
/// written before version 2 may instead name a claim-check blob (<see cref="PayloadBlob"/>).
/// </summary>
public sealed record ChangeMessage
{
    /// <summary>The payload is inline (or, from doors before version 2, in a claim-check blob).</summary>
    public const int InlineVersion = 1;
    /// <summary>The payload is a byte range of the archive blob (<see cref="PayloadRange"/>).</summary>
    public const int ArchiveRangeVersion = 2;
    /// <summary>The highest version this code reads; it reads every version from 1 up to this one.</summary>
    public const int LatestVersion = ArchiveRangeVersion;

    /// <summary>
    /// The format version, decided by the content: 2 when the payload is an archive range, else 1. Inline
    /// messages stay version 1, byte for byte, so consumers that predate version 2 keep reading them.
    /// </summary>
    public int Version => PayloadRange is null ? InlineVersion : ArchiveRangeVersion;
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
    /// <summary>The change's value object, byte for byte; empty when <see cref="PayloadRange"/> or <see cref="PayloadBlob"/> is set.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>
    /// Where the value is when it was too large to travel inline: these bytes of <see cref="ArchiveBlob"/> (the raw
    /// body is immutable and written before any message is sent, so it is the claim check).
    /// </summary>
    public PayloadRange? PayloadRange { get; init; }
    /// <summary>
    /// Blob in the claim-check container holding the value: only in version 1 messages written before the door
    /// used archive ranges (still read, for messages queued or set aside in poison and dead-letter queues before).
    /// </summary>
    public string? PayloadBlob { get; init; }
    /// <summary>
    /// W3C traceparent of the door's enqueue, so the consumer's processing joins the webhook's trace.
    /// Optional and added within version 1: readers ignore fields they do not know (docs/queue-messages.md).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>Identifies this change of this body; providers' retries of the same body produce the same id.</summary>
    public string MessageId => $"{WebhookId}-{ChangeIndex}";
}

/// <summary>Bytes [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>) of a blob.</summary>
public readonly record struct PayloadRange(long Offset, long Length)
{
    public override string ToString() => $"offset {Offset}, length {Length}";
}
