using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Coexistence.Archive;
using Coexistence.Queueing;
using Coexistence.Media;
using Coexistence.Storage;
using Coexistence.Tables;
using Microsoft.Extensions.Logging;

namespace Coexistence.Operations;

/// <summary>
/// <c>coexistence erase &lt;phone_number_id&gt;</c>: a business leaves. Removes every row of the number (Messages, Contacts,
/// HistorySync, Quarantine, and its Numbers rows but the erasure records), its WABA index row, every raw archive blob under
/// <c>{phone_number_id}/</c> and the <c>unrouted/</c> blobs its events name, and its pending messages on the Storage queues
/// (and their poison queues). The record <c>x|number</c> is written first (<c>erasing</c>): from then on the consumers drop
/// every change of a webhook first received until then (a late delivery, a re-ingest, a Service Bus message), so nothing
/// comes back while or after the data is deleted. A re-run while <c>erasing</c> resumes (same <c>ErasedAt</c>, counts
/// added); a re-run after <c>erased</c> is a new erasure of whatever is there now.
/// </summary>
public sealed class NumberErasure
{
    /// <summary>How long a message of another number stays hidden while the queues are searched; released right after.</summary>
    private static readonly TimeSpan SearchVisibility = TimeSpan.FromMinutes(2);

    private readonly StorageClients storage;
    private readonly ErasureStore records;
    private readonly TimeProvider time;
    private readonly ILogger<NumberErasure> logger;

    internal NumberErasure(StorageClients storage, ErasureStore records, TimeProvider time, ILogger<NumberErasure> logger) =>
        (this.storage, this.records, this.time, this.logger) = (storage, records, time, logger);

    private IEnumerable<(string Name, Func<ErasureCounts, long, ErasureCounts> Add)> DataTables =>
    [
        (storage.Names.MessagesTable, (c, n) => c with { Messages = c.Messages + n }),
        (storage.Names.ContactsTable, (c, n) => c with { Contacts = c.Contacts + n }),
        (storage.Names.HistorySyncTable, (c, n) => c with { HistorySync = c.HistorySync + n }),
        (storage.Names.QuarantineTable, (c, n) => c with { Quarantine = c.Quarantine + n }),
    ];

    /// <summary>What an erasure would remove now (queue messages are not counted: null). Nothing is written.</summary>
    public async Task<ErasureResult> PlanAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var existing = await records.ReadAsync(phoneNumberId, null, cancellationToken);
        var counts = ErasureCounts.None with { QueueMessages = null };
        foreach (var (name, add) in DataTables)
            counts = add(counts, (await RowDeletion.KeysAsync(storage.Table(name), TableFilters.Partition(phoneNumberId), cancellationToken)).Count);
        var (numberRows, wabaId, unrouted) = await ReadNumberRowsAsync(phoneNumberId, cancellationToken);
        var wabaRow = wabaId is null ? null
            : await TableRows.GetOrNullAsync(storage.Table(storage.Names.NumbersTable), NumbersTable.WabaPartition(wabaId), phoneNumberId, cancellationToken);
        var blobs = (await RawArchive.BlobNamesOfNumberAsync(storage, phoneNumberId, cancellationToken)).Count + unrouted.Count
                    + (await MediaFiles.NamesAsync(storage, MediaFiles.Folder(phoneNumberId), cancellationToken)).Count;
        counts = counts with { Numbers = numberRows.Count + (wabaRow is null ? 0 : 1), BlobsDeleted = blobs };
        return existing is null && !await IsKnownAsync(storage, phoneNumberId, cancellationToken)
            ? new ErasureResult(ErasureOutcome.UnknownNumber, counts, null)
            : new ErasureResult(ErasureOutcome.Planned, counts, existing);
    }

    public async Task<ErasureResult> RunAsync(string phoneNumberId, string erasedBy, CancellationToken cancellationToken)
    {
        var existing = await records.ReadAsync(phoneNumberId, null, cancellationToken);
        if (existing is null && !await IsKnownAsync(storage, phoneNumberId, cancellationToken))
            return new ErasureResult(ErasureOutcome.UnknownNumber, ErasureCounts.None, null);

        var resumed = existing?.State == NumbersTable.Erasing;
        var record = resumed
            ? existing! with { Counts = existing.Counts with { QueueMessages = existing.Counts.QueueMessages ?? 0 } }
            : new ErasureRecord(phoneNumberId, null, [], time.GetUtcNow(), erasedBy, NumbersTable.Erasing, null, ErasureCounts.None);
        // First the record: from now on the consumers drop the number's changes received until ErasedAt.
        await records.SaveAsync(record, cancellationToken);
        logger.LogInformation("Erasing number {PhoneNumberId} (erased at {ErasedAt}, by {ErasedBy}, resumed {Resumed})",
            phoneNumberId, record.ErasedAt, record.ErasedBy, resumed);

        async Task Step(Func<ErasureCounts, Task<ErasureCounts>> step)
        {
            record = record with { Counts = await step(record.Counts) };
            await records.SaveAsync(record, cancellationToken);
        }

        // What the Numbers rows name is read before they are deleted (they go last, so a resumed run still finds them).
        var (numberRows, wabaId, unrouted) = await ReadNumberRowsAsync(phoneNumberId, cancellationToken);
        await Step(async c => c with { BlobsDeleted = c.BlobsDeleted + await DeleteBlobsAsync(phoneNumberId, unrouted, cancellationToken) });
        // The media archive's files of the number (docs/media.md, "Erasure").
        await Step(async c => c with { BlobsDeleted = c.BlobsDeleted + await MediaFiles.DeleteAsync(storage, MediaFiles.Folder(phoneNumberId), cancellationToken) });
        await Step(async c => c with { QueueMessages = c.QueueMessages + await DeleteQueuedAsync(phoneNumberId, cancellationToken) });
        foreach (var (name, add) in DataTables)
        {
            var table = storage.Table(name);
            await Step(async c => add(c, await RowDeletion.DeleteAsync(table, phoneNumberId,
                await RowDeletion.KeysAsync(table, TableFilters.Partition(phoneNumberId), cancellationToken), cancellationToken)));
        }
        var numbers = storage.Table(storage.Names.NumbersTable);
        await Step(async c =>
        {
            long deleted = 0;
            if (wabaId is not null)
                deleted += await RowDeletion.DeleteAsync(numbers, NumbersTable.WabaPartition(wabaId), [phoneNumberId], cancellationToken);
            return c with { Numbers = c.Numbers + deleted + await RowDeletion.DeleteAsync(numbers, phoneNumberId, numberRows, cancellationToken) };
        });

        record = record with { State = NumbersTable.Erased, CompletedAt = time.GetUtcNow() };
        await records.SaveAsync(record, cancellationToken);
        logger.LogInformation("Erased number {PhoneNumberId}: {Rows} rows, {Blobs} blobs, {QueueMessages} queue messages",
            phoneNumberId, record.Counts.Rows, record.Counts.BlobsDeleted, record.Counts.QueueMessages);
        return new ErasureResult(ErasureOutcome.Erased, record.Counts, record, resumed);
    }

    /// <summary>Whether anything is stored of the number: a row in one of its partitions (any table), or its archive folder.</summary>
    internal static async Task<bool> IsKnownAsync(StorageClients storage, string phoneNumberId, CancellationToken cancellationToken)
    {
        foreach (var name in storage.Names.Tables.Where(t => t != storage.Names.WebhooksTable))
            await foreach (var _ in storage.Table(name).QueryAsync<TableEntity>(TableFilters.Partition(phoneNumberId), maxPerPage: 1, select: ["RowKey"],
                               cancellationToken: cancellationToken))
                return true;
        await foreach (var _ in storage.Container(storage.Names.RawArchiveContainer)
                           .GetBlobsAsync(BlobTraits.None, BlobStates.None, phoneNumberId + "/", cancellationToken))
            return true;
        return false;
    }

    /// <summary>The number's Numbers rows but its erasure records, the WABA its registry row names, and the unrouted blobs its events name.</summary>
    private async Task<(List<string> RowKeys, string? WabaId, List<string> UnroutedBlobs)> ReadNumberRowsAsync(string phoneNumberId,
        CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        string? wabaId = null;
        var unrouted = new List<string>();
        await foreach (var row in storage.Table(storage.Names.NumbersTable).QueryAsync<TableEntity>(TableFilters.Partition(phoneNumberId),
                           select: ["RowKey", NumbersTable.Columns.WabaId, NumbersTable.Columns.ArchiveBlob], cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(NumbersTable.ErasureRowPrefix, StringComparison.Ordinal)) continue;
            keys.Add(row.RowKey);
            if (row.RowKey == NumbersTable.NumberRowKey) wabaId = row.GetString(NumbersTable.Columns.WabaId);
            if (row.GetString(NumbersTable.Columns.ArchiveBlob) is { } blob && blob.StartsWith(RawArchive.UnroutedFolder + "/", StringComparison.Ordinal))
                unrouted.Add(blob);
        }
        return (keys, wabaId, unrouted.Distinct(StringComparer.Ordinal).ToList());
    }

    private async Task<long> DeleteBlobsAsync(string phoneNumberId, IReadOnlyList<string> unrouted, CancellationToken cancellationToken)
    {
        var container = storage.Container(storage.Names.RawArchiveContainer);
        long deleted = 0;
        foreach (var name in (await RawArchive.BlobNamesOfNumberAsync(storage, phoneNumberId, cancellationToken)).Concat(unrouted))
            if ((await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value)
                deleted++;
        return deleted;
    }

    /// <summary>
    /// The number's messages on the four change queues and their poison queues: every visible message is received
    /// (hidden for <see cref="SearchVisibility"/>), those whose <c>phoneNumberId</c> is the number are deleted, the others
    /// made visible again as soon as the queue is searched (their dequeue count grows by one).
    /// </summary>
    private async Task<long> DeleteQueuedAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var name in storage.Names.Queues.SelectMany(q => new[] { q, StorageNames.PoisonQueueOf(q) }))
        {
            var queue = storage.Queue(name);
            var others = new List<QueueMessage>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                while (true)
                {
                    QueueMessage[] page = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: SearchVisibility, cancellationToken)).Value;
                    var fresh = page.Where(m => seen.Add(m.MessageId)).ToList();
                    if (fresh.Count == 0) break;
                    foreach (var message in fresh)
                    {
                        if (PhoneNumberIdOf(message.Body) == phoneNumberId)
                        {
                            await queue.DeleteIfPresentAsync(message, cancellationToken);
                            deleted++;
                        }
                        else others.Add(message);
                    }
                }
            }
            finally
            {
                await ReleaseAsync(queue, others);
            }
        }
        return deleted;
    }

    private static string? PhoneNumberIdOf(BinaryData body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToMemory());
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("phoneNumberId", out var id)
                                                                         && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Makes the messages visible again (also after a cancellation: the release does not take the caller's token).</summary>
    private static async Task ReleaseAsync(QueueClient queue, IReadOnlyList<QueueMessage> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message: null, visibilityTimeout: TimeSpan.Zero, CancellationToken.None);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
    }
}
