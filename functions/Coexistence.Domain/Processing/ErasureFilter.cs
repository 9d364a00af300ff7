using Azure.Data.Tables;
using Coexistence.Tables;

namespace Coexistence.Processing;

/// <summary>
/// What the erasure records of a number (its <see cref="NumberSnapshot"/>) mean for a change received at a given time: an
/// erasure covers the webhooks first received at or before its <c>ErasedAt</c> (late deliveries, re-ingests, redeliveries:
/// they all carry the first receipt's time), not those received after it.
/// </summary>
internal static class ErasureFilter
{
    /// <summary>The ids of the customers whose erasure covers a webhook received at <paramref name="receivedAt"/>.</summary>
    public static IReadOnlySet<string> ErasedCustomers(NumberSnapshot number, DateTimeOffset receivedAt)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in number.ErasureRows)
            if (row.RowKey.StartsWith(NumbersTable.CustomerErasureRowPrefix, StringComparison.Ordinal) && ErasedAtOf(row) >= receivedAt)
            {
                ids.Add(row.RowKey[NumbersTable.CustomerErasureRowPrefix.Length..]);
                ids.UnionWith(ErasedIdsOf(row));
            }
        return ids;
    }

    /// <summary>When an erasure row's erasure began: changes of webhooks first received at or before it are dropped.</summary>
    public static DateTimeOffset? ErasedAtOf(TableEntity row) => row.GetDateTimeOffset(NumbersTable.Columns.ErasedAt);

    /// <summary>The customer ids an erasure row covers (empty for the number's).</summary>
    public static IReadOnlyList<string> ErasedIdsOf(TableEntity row) =>
        (row.GetString(NumbersTable.Columns.ErasedIds) ?? row.GetString(NumbersTable.Columns.CustomerId) ?? "")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
