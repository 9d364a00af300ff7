using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// The statuses of messages the business sent, as status rows in the Messages table (<see cref="MessagesTable.StatusRowKey"/>).
/// A message's statuses are a set: each distinct status is its own row, written blind (an upsert), so that one status
/// costs one table round trip (statuses of one number share entity group transactions, up to 100 a batch), needs no
/// read, and any order of arrival, before or after the message, with any duplicates, leaves the same rows. Readers
/// fold the set into a <see cref="DeliveryState"/>.
/// </summary>
internal sealed class StatusStore(StorageClients storage)
{
    private TableClient Messages => storage.Table(storage.Names.MessagesTable);

    /// <summary>Records statuses of one business number. Returns the number of table batches used.</summary>
    public Task<int> RecordAsync(string phoneNumberId, IReadOnlyList<MessageStatus> statuses, CancellationToken cancellationToken)
    {
        if (statuses.Count == 0) return Task.FromResult(0);
        // A transaction may not name one row twice: the same status twice in a webhook is written once.
        var rows = statuses.Select(s => MessagesTable.StatusRow(phoneNumberId, s)).DistinctBy(r => r.RowKey, StringComparer.Ordinal);
        return TableBatches.SubmitAsync(Messages,
            rows.Select(r => (IReadOnlyList<TableTransactionAction>)[new(TableTransactionActionType.UpsertReplace, r)]),
            MessageStore.Lanes, cancellationToken);
    }

    /// <summary>Where one message stands: its statuses folded (<see cref="DeliveryState.Of"/>); null when none arrived.</summary>
    public async Task<DeliveryState?> GetAsync(string phoneNumberId, string messageId, CancellationToken cancellationToken)
    {
        var statuses = new List<MessageStatus>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.StatusRowsFilter(phoneNumberId, messageId),
                           cancellationToken: cancellationToken))
            statuses.Add(MessagesTable.ReadStatusRow(row));
        return DeliveryState.Of(statuses);
    }

    /// <summary>
    /// <see cref="GetAsync"/> for several messages (a page of a chat), a few queries at a time. Only messages the business
    /// sent can have statuses, so the caller names those.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DeliveryState>> GetManyAsync(string phoneNumberId, IEnumerable<string> messageIds,
        CancellationToken cancellationToken)
    {
        var states = new System.Collections.Concurrent.ConcurrentDictionary<string, DeliveryState>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(messageIds.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await GetAsync(phoneNumberId, id, ct) is { } state) states[id] = state;
            });
        return states;
    }

    /// <summary>Queries in flight when a page's statuses are read.</summary>
    public const int ReadParallelism = 16;
}
