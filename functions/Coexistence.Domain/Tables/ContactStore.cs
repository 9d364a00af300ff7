using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tables;

/// <summary>
/// The business's address book, one row per contact number (removed ones are kept, marked removed,
/// so a stale add cannot bring them back). The stored row always holds the winning action
/// (<see cref="ContactAction.Supersedes"/>), written with ETags so concurrent consumers
/// cannot lose an update.
/// </summary>
internal sealed class ContactStore(StorageClients storage, ILogger<ContactStore> logger)
{
    private const int MaxConflictRetries = 20;
    private const int PointReadLimit = 20;

    private TableClient Contacts => storage.Table(storage.Names.ContactsTable);

    /// <summary>Applies the actions; returns how many contact rows changed.</summary>
    public async Task<int> ApplyAsync(string phoneNumberId, IReadOnlyList<ContactAction> actions, CancellationToken cancellationToken)
    {
        // Within one webhook, the winning action per number is decided the same way as across webhooks.
        var winners = actions.GroupBy(a => a.ContactId)
            .Select(g => g.Aggregate((best, next) => next.Supersedes(best) ? next : best))
            .ToDictionary(a => a.ContactId);
        var changed = 0;
        for (var attempt = 0; winners.Count > 0; attempt++)
        {
            var existing = await ReadAsync(phoneNumberId, winners.Keys, cancellationToken);
            var operations = new List<IReadOnlyList<TableTransactionAction>>();
            foreach (var action in winners.Values)
            {
                existing.TryGetValue(action.ContactId, out var row);
                if (row is not null && !action.Supersedes(ContactsTable.ReadAction(row))) continue;
                var entity = ContactsTable.ToRow(phoneNumberId, action);
                operations.Add(row is null
                    ? [new TableTransactionAction(TableTransactionActionType.Add, entity)]
                    : [new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag)]);
            }
            if (operations.Count == 0) return changed;

            // A batch that conflicts is retried after a fresh read; batches that went through are done.
            var failed = new HashSet<string>();
            foreach (var batch in operations.Chunk(TableBatches.MaxOperations))
            {
                try
                {
                    await Contacts.SubmitTransactionAsync(batch.SelectMany(g => g), cancellationToken);
                    changed += batch.Length;
                }
                catch (TableTransactionFailedException e) when (TableRows.IsConflict(e) && attempt < MaxConflictRetries)
                {
                    foreach (var g in batch) failed.Add(g[0].Entity.RowKey);
                }
            }
            if (failed.Count > 0) logger.LogDebug("Concurrent contact updates in {PhoneNumberId}; retrying {Count}", phoneNumberId, failed.Count);
            winners = winners.Where(w => failed.Contains(w.Key)).ToDictionary();
        }
        return changed;
    }

    private async Task<Dictionary<string, TableEntity>> ReadAsync(string phoneNumberId, IEnumerable<string> contactIds, CancellationToken cancellationToken)
    {
        var wanted = contactIds.ToHashSet();
        var found = new Dictionary<string, TableEntity>();
        if (wanted.Count <= PointReadLimit)
        {
            foreach (var contactId in wanted)
                if (await TableRows.GetOrNullAsync(Contacts, phoneNumberId, contactId, cancellationToken) is { } row) found[contactId] = row;
            return found;
        }
        await foreach (var row in Contacts.QueryAsync<TableEntity>(TableFilters.Partition(phoneNumberId), cancellationToken: cancellationToken))
            if (wanted.Contains(row.RowKey)) found[row.RowKey] = row;
        return found;
    }
}
