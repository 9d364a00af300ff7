using Azure;
using Azure.Data.Tables;

namespace Coexistence.Storage;

/// <summary>Entity group transactions: up to 100 operations on one partition, all or nothing.</summary>
public static class TableBatches
{
    public const int MaxOperations = 100;

    /// <summary>
    /// Submits the groups of actions in batches of at most 100 (a group never straddles two batches,
    /// so rows that belong together commit together). Returns the number of batches sent.
    /// </summary>
    public static async Task<int> SubmitAsync(TableClient table, IEnumerable<IReadOnlyList<TableTransactionAction>> groups, int parallelism,
        CancellationToken cancellationToken)
    {
        var batches = new List<List<TableTransactionAction>>();
        var current = new List<TableTransactionAction>();
        foreach (var group in groups)
        {
            if (current.Count + group.Count > MaxOperations)
            {
                batches.Add(current);
                current = [];
            }
            current.AddRange(group);
        }
        if (current.Count > 0) batches.Add(current);

        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));
        return batches.Count;
    }

    public static async Task<TableEntity?> GetOrNullAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public static async Task DeleteIfExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Optimistic-concurrency conflicts: someone else changed or created the row between our read and write.</summary>
    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;

    /// <summary>An OData string literal.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
}
