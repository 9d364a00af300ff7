namespace Coexistence.Operations;

/// <summary>
/// What an erasure removed, or (a dry run) would remove: rows per table, archive blobs deleted or rewritten without the
/// customer, pending queue messages deleted (null in a dry run: queues are not searched without deleting).
/// </summary>
public sealed record ErasureCounts(long Messages, long Contacts, long HistorySync, long Quarantine, long Numbers, long BlobsDeleted,
    long BlobsRedacted, long? QueueMessages)
{
    public static ErasureCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public long Rows => Messages + Contacts + HistorySync + Quarantine + Numbers;

    public ErasureCounts Plus(ErasureCounts other) => new(Messages + other.Messages, Contacts + other.Contacts, HistorySync + other.HistorySync,
        Quarantine + other.Quarantine, Numbers + other.Numbers, BlobsDeleted + other.BlobsDeleted, BlobsRedacted + other.BlobsRedacted,
        QueueMessages is null && other.QueueMessages is null ? null : (QueueMessages ?? 0) + (other.QueueMessages ?? 0));
}
