using Azure.Data.Tables;
using Coexistence.Processing;

namespace Coexistence.Storage;

/// <summary>
/// History sync bookkeeping in the HistorySync table: one row per chunk received
/// (<c>chunk|{phase:D2}|{chunk_order:D10}</c>) and one <c>declined</c> row when the business said no.
/// The status is computed from these rows when read, so it cannot drift from them and does not
/// depend on the order in which chunks arrived.
/// </summary>
public sealed class HistorySyncStore(StorageClients storage)
{
    public const string ChunkRowPrefix = "chunk|";
    public const string DeclinedRowKey = "declined";

    private TableClient Table => storage.Table(storage.Names.HistorySyncTable);

    public Task RecordChunkAsync(string phoneNumberId, HistoryChunk chunk, string webhookId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(phoneNumberId, ChunkRowPrefix + chunk.ChunkKey)
        {
            ["MessageCount"] = chunk.MessageCount,
            ["ChatCount"] = chunk.ChatCount,
            ["WebhookId"] = webhookId,
            ["ReceivedAt"] = receivedAt,
        };
        if (chunk.Phase is { } phase) row["Phase"] = phase;
        if (chunk.ChunkOrder is { } order) row["ChunkOrder"] = order;
        if (chunk.Progress is { } progress) row["Progress"] = progress;
        return Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public Task RecordDeclineAsync(string phoneNumberId, HistoryDecline decline, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var row = new TableEntity(phoneNumberId, DeclinedRowKey) { ["ReceivedAt"] = receivedAt };
        if (decline.Code is { } code) row["ErrorCode"] = code;
        if (decline.Title is not null) row["ErrorTitle"] = decline.Title;
        if (decline.Message is not null) row["ErrorMessage"] = decline.Message;
        if (decline.Details is not null) row["ErrorDetails"] = decline.Details;
        return Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<HistorySyncStatus> GetStatusAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var chunks = 0;
        long progress = 0;
        DateTimeOffset? lastChunkAt = null;
        HistorySyncError? error = null;
        await foreach (var row in Table.QueryAsync<TableEntity>($"PartitionKey eq {TableBatches.Quote(phoneNumberId)}", cancellationToken: cancellationToken))
        {
            if (row.RowKey == DeclinedRowKey)
                error = new HistorySyncError(row.GetInt64("ErrorCode"), row.GetString("ErrorMessage") ?? row.GetString("ErrorTitle"));
            else if (row.RowKey.StartsWith(ChunkRowPrefix, StringComparison.Ordinal))
            {
                chunks++;
                progress = Math.Max(progress, row.GetInt64("Progress") ?? 0);
                var at = row.GetDateTimeOffset("ReceivedAt");
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

public enum HistorySyncState { NotStarted, InProgress, Completed, Declined }

public sealed record HistorySyncError(long? Code, string? Message);

public sealed record HistorySyncStatus(HistorySyncState State, long Progress, int Chunks, HistorySyncError? Error, DateTimeOffset? LastChunkAt);
