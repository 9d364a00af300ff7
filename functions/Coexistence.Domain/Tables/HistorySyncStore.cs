using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// History sync bookkeeping in the HistorySync table (<see cref="HistorySyncTable"/>): a row per chunk received and
/// one when the business declined. The status is computed from these rows when read, so it cannot drift from
/// them and does not depend on the order in which chunks arrived.
/// </summary>
internal sealed class HistorySyncStore(StorageClients storage)
{
    private TableClient Table => storage.Table(storage.Names.HistorySyncTable);

    public Task RecordChunkAsync(string phoneNumberId, HistoryChunk chunk, string webhookId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(HistorySyncTable.ChunkRow(phoneNumberId, chunk, webhookId, receivedAt), TableUpdateMode.Replace, cancellationToken);

    public Task RecordDeclineAsync(string phoneNumberId, HistoryDecline decline, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(HistorySyncTable.DeclineRow(phoneNumberId, decline, receivedAt), TableUpdateMode.Replace, cancellationToken);

    public async Task<HistorySyncStatus> GetStatusAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var chunks = 0;
        long progress = 0;
        DateTimeOffset? lastChunkAt = null;
        HistorySyncError? error = null;
        await foreach (var row in Table.QueryAsync<TableEntity>(TableFilters.Partition(phoneNumberId), cancellationToken: cancellationToken))
        {
            if (HistorySyncTable.IsDeclineRow(row))
                error = HistorySyncTable.ReadError(row);
            else if (HistorySyncTable.IsChunkRow(row))
            {
                chunks++;
                progress = Math.Max(progress, row.GetInt64(HistorySyncTable.Columns.Progress) ?? 0);
                var at = row.GetDateTimeOffset(HistorySyncTable.Columns.ReceivedAt);
                if (at > lastChunkAt || lastChunkAt is null) lastChunkAt = at;
            }
        }
        var state = error is not null ? HistorySyncState.Declined
            : progress >= 100 ? HistorySyncState.Completed
            : chunks > 0 ? HistorySyncState.InProgress
            : HistorySyncState.NotStarted;
        return new HistorySyncStatus(state, progress, chunks, error, lastChunkAt);
    }
}
