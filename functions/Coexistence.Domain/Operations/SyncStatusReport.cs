using Azure.Data.Tables;
using Coexistence.Archive;
using Coexistence.Model;
using Coexistence.Queries;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>
/// Every business number we hold anything for (a partition of HistorySync or Contacts, or a folder of the raw
/// archive: every number a webhook named), with its history sync status computed exactly as <c>show history</c>
/// does (<see cref="HistorySyncStore.GetStatusAsync"/>) and its chat count (its chat summary rows).
/// A sync is <em>stalled</em> when it is in progress or completing (chunks missing) and its last chunk arrived longer
/// ago than the given time. Numbers the registry knows are listed too; per number, its lifecycle events are one more range query.
/// </summary>
public sealed class SyncStatusReport
{
    private readonly StorageClients storage;
    private readonly HistorySyncStore historySync;
    private readonly NumberRegistry registry;
    private readonly TimeProvider time;

    internal SyncStatusReport(StorageClients storage, HistorySyncStore historySync, NumberRegistry registry, TimeProvider time)
    {
        this.storage = storage;
        this.historySync = historySync;
        this.registry = registry;
        this.time = time;
    }

    public static readonly TimeSpan DefaultStalledAfter = TimeSpan.FromHours(6);

    public async Task<IReadOnlyList<NumberStatus>> ListAsync(TimeSpan stalledAfter, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var (numbers, contacts) = await ScanAsync(cancellationToken);
        var registrations = (await registry.ListAsync(cancellationToken)).ToDictionary(r => r.PhoneNumberId, StringComparer.Ordinal);
        numbers.UnionWith(registrations.Keys);
        var now = time.GetUtcNow();
        var statuses = new List<NumberStatus>();
        foreach (var number in numbers)
        {
            var history = await historySync.GetStatusAsync(number, cancellationToken);
            var stalled = history.State is HistorySyncState.InProgress or HistorySyncState.Completing
                          && history.LastChunkAt is { } last && now - last > stalledAfter;
            var chats = await CountChatsAsync(number, cancellationToken);
            var registration = registrations.GetValueOrDefault(number);
            var events = await registry.EventsAsync(number, cancellationToken);
            var view = NumberLifecycle.ViewOf(number, registration, events, history.State != HistorySyncState.NotStarted, contacts.GetValueOrDefault(number) > 0, now);
            statuses.Add(new NumberStatus(number, HistoryStatusView.From(history), history.LastChunkAt, chats, contacts.GetValueOrDefault(number), stalled,
                view.Connection, view.LastEvent, registration?.LastSeenAt, view.RequestWindow));
            progress?.Report(statuses.Count);
        }
        return statuses;
    }

    /// <summary>Every business number we hold anything for, ordered by phone_number_id (ordinal).</summary>
    public async Task<IReadOnlyList<string>> NumbersAsync(CancellationToken cancellationToken) => [.. (await ScanAsync(cancellationToken)).Numbers];

    /// <summary>The numbers, and the current contacts of each (read in the same scan of the Contacts table).</summary>
    private async Task<(SortedSet<string> Numbers, Dictionary<string, int> Contacts)> ScanAsync(CancellationToken cancellationToken)
    {
        var numbers = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(storage.Names.HistorySyncTable).QueryAsync<TableEntity>(select: [nameof(ITableEntity.PartitionKey)],
                           cancellationToken: cancellationToken))
            numbers.Add(row.PartitionKey);
        var contacts = await CountByPartitionAsync(storage.Names.ContactsTable, [nameof(ITableEntity.PartitionKey), ContactsTable.Columns.Removed],
            row => !ContactsTable.IsRemoved(row), cancellationToken);
        numbers.UnionWith(contacts.Keys);
        numbers.UnionWith(await RawArchive.ListNumbersAsync(storage, cancellationToken));
        return (numbers, contacts);
    }

    /// <summary>
    /// Chats are the number's summary rows in the Messages table with messages (an empty one is a chat its customer
    /// left by changing number): one range query in its partition.
    /// </summary>
    private async Task<int> CountChatsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var count = 0;
        var filter = MessagesTable.SummaryRowsFilter(phoneNumberId);
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>(filter,
                           select: [nameof(ITableEntity.RowKey), MessagesTable.Columns.MessageCount], cancellationToken: cancellationToken))
            if (ChatSummary.FromEntity(row).MessageCount > 0) count++;
        return count;
    }

    private async Task<Dictionary<string, int>> CountByPartitionAsync(string tableName, string[] columns, Func<TableEntity, bool> counts,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(tableName).QueryAsync<TableEntity>(select: columns, cancellationToken: cancellationToken))
            result[row.PartitionKey] = result.GetValueOrDefault(row.PartitionKey) + (counts(row) ? 1 : 0);
        return result;
    }
}
