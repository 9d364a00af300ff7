using Azure.Data.Tables;

namespace Coexistence.Storage;

/// <summary>Entity group transactions: up to 100 operations on one partition, all or nothing.</summary>
internal static class TableBatches
{
    public const int MaxOperations = 100;

    /// <summary>A transaction must stay under 4 MiB; entities are estimated on the safe side and batches kept below this.</summary>
    public const int MaxEstimatedBytes = 3 * 1024 * 1024;

    /// <summary>
    /// Submits the groups of actions in batches of at most 100 operations and about 3 MiB (a group never
    /// straddles two batches, so rows that belong together commit together). Returns the number of batches sent.
    /// </summary>
    public static async Task<int> SubmitAsync(TableClient table, IEnumerable<IReadOnlyList<TableTransactionAction>> groups, int parallelism,
        CancellationToken cancellationToken)
    {
        var batches = new List<List<TableTransactionAction>>();
        var current = new List<TableTransactionAction>();
        var currentBytes = 0L;
        foreach (var group in groups)
        {
            var groupBytes = group.Sum(a => EstimatedBytes(a.Entity));
            if (current.Count > 0 && (current.Count + group.Count > MaxOperations || currentBytes + groupBytes > MaxEstimatedBytes))
            {
                batches.Add(current);
                current = [];
                currentBytes = 0;
            }
            current.AddRange(group);
            currentBytes += groupBytes;
        }
        if (current.Count > 0) batches.Add(current);

        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));
        return batches.Count;
    }

    /// <summary>An upper estimate of an entity's size on the wire (JSON in UTF-8 with escapes: 6 bytes per character at worst).</summary>
    internal static long EstimatedBytes(ITableEntity entity)
    {
        long bytes = 256 + 6L * (entity.PartitionKey.Length + entity.RowKey.Length);
        if (entity is TableEntity properties)
            foreach (var (name, value) in properties)
                bytes += 64 + 6L * name.Length + (value is string text ? 6L * text.Length : 64);
        return bytes;
    }
}
