using Azure;
using Azure.Data.Tables;
using Coexistence.Processing;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>
/// The erasure records of the Numbers table (<c>x|number</c>, <c>x|c|{customerId}</c>): written first (state
/// <c>erasing</c>), updated with the counts as the erasure goes, completed last (<c>erased</c>). Never deleted.
/// </summary>
internal sealed class ErasureStore(StorageClients storage)
{
    private TableClient Table => storage.Table(storage.Names.NumbersTable);

    public async Task<ErasureRecord?> ReadAsync(string phoneNumberId, string? customerId, CancellationToken cancellationToken)
    {
        var row = await TableRows.GetOrNullAsync(Table, phoneNumberId, RowKey(customerId), cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    /// <summary>Writes the record whole (replace): the begin, every step's counts, the completion.</summary>
    public async Task SaveAsync(ErasureRecord record, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(ToRow(record), TableUpdateMode.Replace, cancellationToken);

    public static string RowKey(string? customerId) =>
        customerId is null ? NumbersTable.NumberErasureRowKey : NumbersTable.CustomerErasureRowKey(customerId);

    private static ErasureRecord ToRecord(TableEntity row)
    {
        long Count(string column) => row.GetInt64(column) ?? 0;
        var customerId = row.GetString(NumbersTable.Columns.CustomerId);
        return new ErasureRecord(row.PartitionKey, customerId, customerId is null ? [] : ErasureFilter.ErasedIdsOf(row),
            ErasureFilter.ErasedAtOf(row) ?? DateTimeOffset.MinValue, row.GetString(NumbersTable.Columns.ErasedBy) ?? "",
            row.GetString(NumbersTable.Columns.State) ?? NumbersTable.Erasing, row.GetDateTimeOffset(NumbersTable.Columns.CompletedAt),
            new ErasureCounts(Count(NumbersTable.Columns.MessagesRows), Count(NumbersTable.Columns.ContactsRows), Count(NumbersTable.Columns.HistorySyncRows),
                Count(NumbersTable.Columns.QuarantineRows), Count(NumbersTable.Columns.NumbersRows), Count(NumbersTable.Columns.BlobsDeleted),
                Count(NumbersTable.Columns.BlobsRedacted), row.GetInt64(NumbersTable.Columns.QueueMessages)));
    }

    private static TableEntity ToRow(ErasureRecord record)
    {
        var row = new TableEntity(record.PhoneNumberId, RowKey(record.CustomerId))
        {
            [NumbersTable.Columns.ErasedAt] = record.ErasedAt,
            [NumbersTable.Columns.ErasedBy] = record.ErasedBy,
            [NumbersTable.Columns.State] = record.State,
            [NumbersTable.Columns.MessagesRows] = record.Counts.Messages,
            [NumbersTable.Columns.ContactsRows] = record.Counts.Contacts,
            [NumbersTable.Columns.HistorySyncRows] = record.Counts.HistorySync,
            [NumbersTable.Columns.QuarantineRows] = record.Counts.Quarantine,
            [NumbersTable.Columns.NumbersRows] = record.Counts.Numbers,
            [NumbersTable.Columns.BlobsDeleted] = record.Counts.BlobsDeleted,
            [NumbersTable.Columns.BlobsRedacted] = record.Counts.BlobsRedacted,
        };
        if (record.Counts.QueueMessages is { } queued) row[NumbersTable.Columns.QueueMessages] = queued;
        if (record.CompletedAt is { } completed) row[NumbersTable.Columns.CompletedAt] = completed;
        if (record.CustomerId is { } customer)
        {
            row[NumbersTable.Columns.CustomerId] = customer;
            row[NumbersTable.Columns.ErasedIds] = string.Join(' ', record.ErasedIds);
        }
        row.ETag = ETag.All;
        return row;
    }
}
