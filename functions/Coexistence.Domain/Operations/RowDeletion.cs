using Azure;
using Azure.Data.Tables;
using Coexistence.Storage;

namespace Coexistence.Operations;

/// <summary>
/// Deletes rows of one partition in entity-group transactions of at most 100, one after another and in the order given
/// (so an erasure that stops half-way has deleted a prefix, and a re-run deletes the rest). A batch refused because one
/// of its rows is gone already (deleted by someone else, or by a run whose answer was lost) is done row by row.
/// </summary>
internal static class RowDeletion
{
    /// <summary>Deletes the groups' rows; a group of at most 100 rows is never split over two batches. Returns the rows deleted.</summary>
    public static async Task<long> DeleteAsync(TableClient table, string partitionKey, IEnumerable<IReadOnlyList<string>> groups,
        CancellationToken cancellationToken)
    {
        long deleted = 0;
        var batch = new List<string>();
        foreach (var group in groups)
        {
            if (batch.Count > 0 && batch.Count + group.Count > TableBatches.MaxOperations)
            {
                deleted += await SubmitAsync(table, partitionKey, batch, cancellationToken);
                batch.Clear();
            }
            foreach (var rowKey in group)
            {
                batch.Add(rowKey);
                if (batch.Count == TableBatches.MaxOperations)
                {
                    deleted += await SubmitAsync(table, partitionKey, batch, cancellationToken);
                    batch.Clear();
                }
            }
        }
        if (batch.Count > 0) deleted += await SubmitAsync(table, partitionKey, batch, cancellationToken);
        return deleted;
    }

    public static Task<long> DeleteAsync(TableClient table, string partitionKey, IEnumerable<string> rowKeys, CancellationToken cancellationToken) =>
        DeleteAsync(table, partitionKey, rowKeys.Select(k => (IReadOnlyList<string>)[k]), cancellationToken);

    /// <summary>The RowKeys of a partition's rows that the filter selects (and <paramref name="where"/> keeps), in key order.</summary>
    public static async Task<List<string>> KeysAsync(TableClient table, string filter, CancellationToken cancellationToken,
        Func<TableEntity, bool>? where = null, IEnumerable<string>? columns = null)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: columns is null ? ["RowKey"] : [.. columns, "RowKey"],
                           cancellationToken: cancellationToken))
            if (where is null || where(row)) keys.Add(row.RowKey);
        return keys;
    }

    private static async Task<long> SubmitAsync(TableClient table, string partitionKey, List<string> rowKeys, CancellationToken cancellationToken)
    {
        var actions = rowKeys.Select(k => new TableTransactionAction(TableTransactionActionType.Delete,
            new TableEntity(partitionKey, k) { ETag = ETag.All })).ToList();
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return rowKeys.Count;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            long deleted = 0;
            foreach (var rowKey in rowKeys)
            {
                try
                {
                    await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
                    deleted++;
                }
                catch (RequestFailedException missing) when (missing.Status == 404)
                {
                }
            }
            return deleted;
        }
    }
}
