using Azure;
using Azure.Data.Tables;
using Coexistence.Storage;
using Coexistence.Tables;
using Microsoft.Extensions.Logging;

namespace Coexistence.Operations;

/// <summary>
/// The retention of each number (<c>coexistence retention show|set</c>): the settings' days and the overrides in the
/// numbers' registry rows of the Numbers table (<c>TableRetentionDays</c>, <c>ArchiveRetentionDays</c>: 0 keeps forever,
/// absent: the settings' days apply). Overrides are written with a Merge, so the registry's other columns stay as
/// their writers left them.
/// </summary>
public sealed class RetentionSettings
{
    private const int MaxConflictRetries = 20;

    private readonly StorageClients storage;
    private readonly RetentionOptions options;
    private readonly ILogger<RetentionSettings> logger;

    internal RetentionSettings(StorageClients storage, RetentionOptions options, ILogger<RetentionSettings> logger)
    {
        this.storage = storage;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>The most days a setting or an override may say (100 years).</summary>
    public const int MaxDays = RetentionOptions.MaxDays;

    /// <summary><c>Retention:TableDays</c>: what a number without an override keeps its table rows for (0: forever).</summary>
    public int DefaultTableDays => options.TableDays;

    /// <summary><c>Retention:ArchiveDays</c>: the same for its archive.</summary>
    public int DefaultArchiveDays => options.ArchiveDays;

    public Task<NumberRetention> GetAsync(string phoneNumberId, CancellationToken cancellationToken) =>
        RetentionNumbers.ReadAsync(storage, phoneNumberId, options, logger, cancellationToken);

    /// <summary>Every number retention looks at, ordered by phone_number_id (ordinal).</summary>
    public async Task<IReadOnlyList<NumberRetention>> ListAsync(CancellationToken cancellationToken)
    {
        var numbers = new List<NumberRetention>();
        foreach (var number in await RetentionNumbers.ListAsync(storage, cancellationToken)) numbers.Add(await GetAsync(number, cancellationToken));
        return numbers;
    }

    /// <summary>
    /// Changes a number's overrides (null: leave that one as it is). Days are merged into the registry row (created if
    /// need be); going back to the default removes the column, by replacing the row on the ETag read (again on a conflict).
    /// </summary>
    public async Task<NumberRetention> SetAsync(string phoneNumberId, RetentionChange? table, RetentionChange? archive, CancellationToken cancellationToken)
    {
        foreach (var change in new[] { table, archive })
            if (change?.Days is { } days && !RetentionOptions.IsValidDays(days))
                throw new ArgumentOutOfRangeException(nameof(table), days, $"Retention days must be from 0 to {RetentionOptions.MaxDays}.");
        var changes = new[] { (NumbersTable.Columns.TableRetentionDays, table), (NumbersTable.Columns.ArchiveRetentionDays, archive) }
            .Where(c => c.Item2 is not null).Select(c => (Column: c.Item1, c.Item2!.Days)).ToList();
        var numbers = storage.Table(storage.Names.NumbersTable);

        if (changes.All(c => c.Days is not null))
        {
            var patch = new TableEntity(phoneNumberId, NumbersTable.NumberRowKey);
            foreach (var (column, days) in changes) patch[column] = days!.Value;
            if (changes.Count > 0) await numbers.UpsertEntityAsync(patch, TableUpdateMode.Merge, cancellationToken);
            return await GetAsync(phoneNumberId, cancellationToken);
        }

        for (var attempt = 0; ; attempt++)
        {
            var row = await TableRows.GetOrNullAsync(numbers, phoneNumberId, NumbersTable.NumberRowKey, cancellationToken);
            var updated = new TableEntity(phoneNumberId, NumbersTable.NumberRowKey);
            foreach (var (name, value) in row ?? [])
                if (name is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")) updated[name] = value;
            foreach (var (column, days) in changes)
                if (days is { } value) updated[column] = value;
                else updated.Remove(column);
            try
            {
                if (row is null)
                {
                    if (changes.Any(c => c.Days is not null)) await numbers.AddEntityAsync(updated, cancellationToken);
                }
                else await numbers.UpdateEntityAsync(updated, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return await GetAsync(phoneNumberId, cancellationToken);
            }
            catch (RequestFailedException e) when (TableRows.IsConflict(e) && attempt < MaxConflictRetries)
            {
                // The registry row changed (another writer's Merge) or appeared since it was read: read it again.
            }
        }
    }
}
