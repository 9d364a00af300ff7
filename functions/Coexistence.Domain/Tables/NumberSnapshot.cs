using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// What the Numbers table says of one number when a change of it is processed: its registry row (null before its
/// first webhook) and its erasure rows (<c>x|...</c>), read in one query (<see cref="NumbersTable.RegistryAndErasuresFilter"/>).
/// </summary>
internal sealed record NumberSnapshot(string PhoneNumberId, TableEntity? RegistryRow, IReadOnlyList<TableEntity> ErasureRows)
{
    /// <summary>
    /// When the number's erasure that covers a webhook first received at <paramref name="receivedAt"/> began (it covers those
    /// received at or before it: late deliveries, re-ingests, redeliveries); null when none does.
    /// </summary>
    public DateTimeOffset? NumberErasedAt(DateTimeOffset receivedAt) =>
        ErasureRows.Where(r => r.RowKey == NumbersTable.NumberErasureRowKey).Select(r => r.GetDateTimeOffset(NumbersTable.Columns.ErasedAt))
            .FirstOrDefault(at => at >= receivedAt);
}
