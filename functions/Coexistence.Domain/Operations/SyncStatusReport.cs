using Azure.Data.Tables;
using Coexistence.Storage;

namespace Coexistence.Operations;

/// <summary>The history sync of one business number at a glance, with its chat and contact counts.</summary>
public sealed record NumberStatus(
    string PhoneNumberId,
    HistorySyncStatus History,
    int Chats,
    int Contacts,
    bool Stalled);

/// <summary>
/// Every business number the tables know (a partition of HistorySync, Chats or Contacts), with its
/// history sync status computed exactly as <c>show history</c> does (<see cref="HistorySyncStore.GetStatusAsync"/>).
/// A sync is <em>stalled</em> when it is in progress and its last chunk arrived longer ago than the given time.
/// </summary>
public sealed class SyncStatusReport(StorageClients storage, HistorySyncStore historySync, TimeProvider time)
{
    public static readonly TimeSpan DefaultStalledAfter = TimeSpan.FromHours(6);

    public async Task<IReadOnlyList<NumberStatus>> ListAsync(TimeSpan stalledAfter, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var numbers = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(storage.Names.HistorySyncTable).QueryAsync<TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken))
            numbers.Add(row.PartitionKey);
        var chats = await CountByPartitionAsync(storage.Names.ChatsTable, ["PartitionKey"], _ => true, cancellationToken);
        var contacts = await CountByPartitionAsync(storage.Names.ContactsTable, ["PartitionKey", "Removed"], row => row.GetBoolean("Removed") != true, cancellationToken);
        numbers.UnionWith(chats.Keys);
        numbers.UnionWith(contacts.Keys);

        var now = time.GetUtcNow();
        var statuses = new List<NumberStatus>();
        foreach (var number in numbers)
        {
            var history = await historySync.GetStatusAsync(number, cancellationToken);
            var stalled = history.State == HistorySyncState.InProgress && history.LastChunkAt is { } last && now - last > stalledAfter;
            statuses.Add(new NumberStatus(number, history, chats.GetValueOrDefault(number), contacts.GetValueOrDefault(number), stalled));
            progress?.Report(statuses.Count);
        }
        return statuses;
    }

    private async Task<Dictionary<string, int>> CountByPartitionAsync(string tableName, string[] columns, Func<TableEntity, bool> counts, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(tableName).QueryAsync<TableEntity>(select: columns, cancellationToken: cancellationToken))
            result[row.PartitionKey] = result.GetValueOrDefault(row.PartitionKey) + (counts(row) ? 1 : 0);
        return result;
    }
}
