using Azure.Data.Tables;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>Reads the Quarantine table for one business number (or the <c>unroutable</c> partition).</summary>
public sealed class QuarantineReport(StorageClients storage)
{
    /// <summary>The partition of change messages that name no number.</summary>
    public const string UnroutablePartition = QuarantineTable.UnroutablePartition;

    public async Task<IReadOnlyList<QuarantineEntry>> ListAsync(string partition, CancellationToken cancellationToken)
    {
        var entries = new List<QuarantineEntry>();
        var table = storage.Table(storage.Names.QuarantineTable);
        string[] columns =
        [
            nameof(ITableEntity.RowKey), QuarantineTable.Columns.Kind, QuarantineTable.Columns.Reason, QuarantineTable.Columns.Pointer,
            QuarantineTable.Columns.WebhookId, QuarantineTable.Columns.ChangeIndex, QuarantineTable.Columns.ArchiveBlob,
            QuarantineTable.Columns.ReceivedAt, QuarantineTable.Columns.RecordedAt,
        ];
        await foreach (var row in table.QueryAsync<TableEntity>(TableFilters.Partition(partition), select: columns, cancellationToken: cancellationToken))
        {
            var reason = row.GetString(QuarantineTable.Columns.Reason) ?? "";
            if (QuarantineTable.ChangeIdOf(row.RowKey) is { } changeId)
                entries.Add(new QuarantineEntry("change", null, reason, null, WebhookIdOf(changeId), null, changeId, null,
                    row.GetDateTimeOffset(QuarantineTable.Columns.RecordedAt)));
            else
                entries.Add(new QuarantineEntry("item", row.GetString(QuarantineTable.Columns.Kind), reason, row.GetString(QuarantineTable.Columns.Pointer),
                    row.GetString(QuarantineTable.Columns.WebhookId), row.GetInt32(QuarantineTable.Columns.ChangeIndex), null,
                    row.GetString(QuarantineTable.Columns.ArchiveBlob), row.GetDateTimeOffset(QuarantineTable.Columns.ReceivedAt)));
        }
        return entries.OrderBy(e => e.At ?? DateTimeOffset.MinValue).ThenBy(e => e.WebhookId, StringComparer.Ordinal)
            .ThenBy(e => e.ChangeIndex).ThenBy(e => e.Pointer, StringComparer.Ordinal).ToList();
    }

    /// <summary>A change id is <c>{webhookId}-{changeIndex}</c>; an unreadable message's id is a bare hash.</summary>
    private static string? WebhookIdOf(string changeId)
    {
        var dash = changeId.LastIndexOf('-');
        return dash > 0 ? changeId[..dash] : null;
    }
}
