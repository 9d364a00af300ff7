using System.Globalization;
using Azure.Data.Tables;

namespace Coexistence.Tests.Support;

/// <summary>
/// Every row of every table as sorted text, for comparing whole end states of two runs. Properties
/// that record when a delivery happened (not what it said) are left out.
/// </summary>
internal static class TableDump
{
    private static readonly HashSet<string> DeliveryTimeProperties = ["odata.etag", "Timestamp", "ReceivedAt", "RecordedAt"];

    public static async Task<IReadOnlyList<string>> DumpAsync(StorageClients storage)
    {
        var lines = new List<string>();
        // The Webhooks table records deliveries (one row per distinct body), not what they said.
        foreach (var table in storage.Names.Tables.Where(t => t != storage.Names.WebhooksTable))
        {
            var logicalName = table == storage.Names.MessagesTable ? "Messages"
                : table == storage.Names.ContactsTable ? "Contacts"
                : table == storage.Names.HistorySyncTable ? "HistorySync"
                : table == storage.Names.NumbersTable ? "Numbers" : "Quarantine";
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>())
            {
                var properties = row.Keys.Where(k => !DeliveryTimeProperties.Contains(k) && k is not ("PartitionKey" or "RowKey"))
                    .OrderBy(k => k, StringComparer.Ordinal)
                    .Select(k => $"{k}={Convert.ToString(row[k], CultureInfo.InvariantCulture)}");
                lines.Add($"{logicalName} {row.PartitionKey} {row.RowKey} {string.Join(" ", properties)}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static async Task<int> CountRowsAsync(StorageClients storage)
    {
        var count = 0;
        foreach (var table in storage.Names.Tables)
            await foreach (var _ in storage.Table(table).QueryAsync<TableEntity>()) count++;
        return count;
    }
}
