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

    /// <summary>
    /// The sync's status from its rows: <see cref="HistorySyncState.Completed"/> only once a chunk said progress 100 and no
    /// chunk order below the highest is missing (<see cref="HistorySyncState.Completing"/> until then).
    /// <paramref name="withPlaceholders"/>: also count the placeholders still without media (a query of the number's
    /// message rows; the per-number views ask for it, the all-numbers report does not).
    /// </summary>
    public async Task<HistorySyncStatus> GetStatusAsync(string phoneNumberId, CancellationToken cancellationToken, bool withPlaceholders = false)
    {
        var chunks = 0;
        long progress = 0;
        DateTimeOffset? firstChunkAt = null, lastChunkAt = null;
        HistorySyncError? error = null;
        var received = new List<(long? Phase, long? ChunkOrder)>();
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
                if (at < firstChunkAt || firstChunkAt is null) firstChunkAt = at;
                received.Add((row.GetInt64(HistorySyncTable.Columns.Phase), row.GetInt64(HistorySyncTable.Columns.ChunkOrder)));
            }
        }
        var gaps = HistoryChunkGap.Find([.. received.Where(c => c.ChunkOrder is not null).Select(c => (c.Phase, c.ChunkOrder!.Value))]);
        var state = error is not null ? HistorySyncState.Declined
            : progress >= 100 ? gaps.Count == 0 ? HistorySyncState.Completed : HistorySyncState.Completing
            : chunks > 0 ? HistorySyncState.InProgress
            : HistorySyncState.NotStarted;
        // Phases lowest first, chunks that named none last.
        var phases = received.GroupBy(c => c.Phase).OrderBy(g => g.Key is null).ThenBy(g => g.Key)
            .Select(g => new HistoryPhase(g.Key, g.Count(), g.Min(c => c.ChunkOrder), g.Max(c => c.ChunkOrder))).ToList();
        var placeholders = withPlaceholders && firstChunkAt is { } start ? await CountPlaceholdersAsync(phoneNumberId, start, cancellationToken) : null;
        return new HistorySyncStatus(state, progress, chunks, error, lastChunkAt, firstChunkAt, phases, gaps,
            withPlaceholders ? placeholders ?? new HistoryPlaceholders(0, 0) : null);
    }

    /// <summary>
    /// The number's messages of type <c>media_placeholder</c> that no follow-up has brought their media to, split by whether
    /// one may still come: sent at most <see cref="HistoryPlaceholders.FollowUpWindow"/> before the sync's first chunk.
    /// </summary>
    private async Task<HistoryPlaceholders> CountPlaceholdersAsync(string phoneNumberId, DateTimeOffset syncStart, CancellationToken cancellationToken)
    {
        var cutoff = (syncStart - HistoryPlaceholders.FollowUpWindow).ToUnixTimeSeconds();
        int awaiting = 0, tooOld = 0;
        var filter = $"{MessagesTable.AllChatRowsFilter(phoneNumberId)} and {MessagesTable.Columns.Type} eq {TableFilters.Quote(ChatMessage.PlaceholderType)}";
        // A follow-up is a patch of its own columns: the row keeps its type, and gains FollowUpType.
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>(filter,
                           select: [MessagesTable.Columns.SentAt, MessagesTable.Columns.FollowUpType], cancellationToken: cancellationToken))
            if (row.GetString(MessagesTable.Columns.FollowUpType) is not null) continue;
            else if (row.GetInt64(MessagesTable.Columns.SentAt) >= cutoff) awaiting++;
            else tooOld++;
        return new HistoryPlaceholders(awaiting, tooOld);
    }
}
