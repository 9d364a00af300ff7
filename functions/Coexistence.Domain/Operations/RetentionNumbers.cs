using Azure.Data.Tables;
using Coexistence.Archive;
using Coexistence.Storage;
using Coexistence.Tables;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Operations;

/// <summary>
/// Which numbers retention looks at, and what each one's registry row says: the numbers with a registry row in the
/// Numbers table, a folder in the raw archive, or a partition of Messages or Quarantine (found by skipping from partition
/// to partition: one query per number, not a scan of the rows).
/// </summary>
internal static class RetentionNumbers
{
    public static async Task<IReadOnlyList<string>> ListAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        var numbers = new SortedSet<string>(StringComparer.Ordinal);
        var registry = $"RowKey eq {TableFilters.Quote(NumbersTable.NumberRowKey)}";
        await foreach (var row in storage.Table(storage.Names.NumbersTable).QueryAsync<TableEntity>(registry, select: [nameof(ITableEntity.PartitionKey)],
                           cancellationToken: cancellationToken))
            numbers.Add(row.PartitionKey);
        numbers.UnionWith(await RawArchive.ListNumbersAsync(storage, cancellationToken));
        numbers.UnionWith(await PartitionsAsync(storage.Table(storage.Names.MessagesTable), cancellationToken));
        numbers.UnionWith(await PartitionsAsync(storage.Table(storage.Names.QuarantineTable), cancellationToken));
        return [.. numbers.Where(PhoneNumbers.IsValidPhoneNumberId)];
    }

    /// <summary>Every PartitionKey of a table: each query asks for the first row after the previous partition.</summary>
    private static async Task<List<string>> PartitionsAsync(TableClient table, CancellationToken cancellationToken)
    {
        var partitions = new List<string>();
        string? last = null;
        while (true)
        {
            var filter = last is null ? null : $"PartitionKey gt {TableFilters.Quote(last)}";
            string? next = null;
            await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: [nameof(ITableEntity.PartitionKey)],
                               cancellationToken: cancellationToken).AsPages())
                if (page.Values.Count > 0)
                {
                    next = page.Values[0].PartitionKey;
                    break;
                }
            if (next is null) return partitions;
            partitions.Add(next);
            last = next;
        }
    }

    /// <summary>The days that apply to the number: two point reads of its partition of the Numbers table (registry and erasure rows).</summary>
    public static async Task<NumberRetention> ReadAsync(StorageClients storage, string phoneNumberId, RetentionOptions defaults, ILogger logger,
        CancellationToken cancellationToken)
    {
        var table = storage.Table(storage.Names.NumbersTable);
        var registryRead = TableRows.GetOrNullAsync(table, phoneNumberId, NumbersTable.NumberRowKey, cancellationToken);
        var erasureRead = TableRows.GetOrNullAsync(table, phoneNumberId, NumbersTable.NumberErasureRowKey, cancellationToken);
        var registry = await registryRead;
        var erased = await erasureRead is not null;
        var tableDays = OverrideOf(registry, NumbersTable.Columns.TableRetentionDays, logger);
        var archiveDays = OverrideOf(registry, NumbersTable.Columns.ArchiveRetentionDays, logger);
        return new NumberRetention(phoneNumberId, tableDays ?? defaults.TableDays, tableDays, archiveDays ?? defaults.ArchiveDays, archiveDays, erased);
    }

    /// <summary>
    /// A registry row's days: an Int32 (or Int64) from 0 to <see cref="RetentionOptions.MaxDays"/>. Absent: null. Anything else
    /// (written by hand) is ignored with a warning, and the settings' days apply.
    /// </summary>
    public static int? OverrideOf(TableEntity? registry, string column, ILogger logger)
    {
        if (registry is null || !registry.TryGetValue(column, out var value) || value is null) return null;
        int? days = value switch
        {
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            _ => null,
        };
        if (days is { } valid && RetentionOptions.IsValidDays(valid)) return valid;
        logger.LogWarning("Ignoring {Column} of number {PhoneNumberId}: not a number of days from 0 to {MaxDays}", column, registry.PartitionKey,
            RetentionOptions.MaxDays);
        return null;
    }
}
