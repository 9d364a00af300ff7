using Azure.Data.Tables;
using Coexistence.Storage;

namespace Coexistence.Operations;

/// <summary>
/// One Quarantine row: a single item set aside (<c>item|...</c>, the rest of its webhook was kept) or a
/// whole queue message that can never be processed (<c>message|...</c>, also in a poison queue or
/// dead-letter queue). The item's or message's content is not carried here: it holds personal data,
/// and the raw archive (<see cref="ArchiveBlob"/>) has it byte for byte.
/// </summary>
public sealed record QuarantineEntry(
    string Type,
    string? Kind,
    string Reason,
    string? Pointer,
    string? WebhookId,
    int? ChangeIndex,
    string? MessageId,
    string? ArchiveBlob,
    DateTimeOffset? At);

/// <summary>Reads the Quarantine table for one business number (or the <c>unroutable</c> partition).</summary>
public sealed class QuarantineReport(StorageClients storage)
{
    public async Task<IReadOnlyList<QuarantineEntry>> ListAsync(string partition, CancellationToken cancellationToken)
    {
        var entries = new List<QuarantineEntry>();
        var table = storage.Table(storage.Names.QuarantineTable);
        string[] columns = ["RowKey", "Kind", "Reason", "Pointer", "WebhookId", "ChangeIndex", "ArchiveBlob", "ReceivedAt", "RecordedAt"];
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq {TableBatches.Quote(partition)}", select: columns, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith("message|", StringComparison.Ordinal))
            {
                var messageId = KeyEncoding.Decode(row.RowKey["message|".Length..]);
                entries.Add(new QuarantineEntry("message", null, row.GetString("Reason") ?? "", null, WebhookIdOf(messageId), null, messageId, null,
                    row.GetDateTimeOffset("RecordedAt")));
            }
            else
            {
                entries.Add(new QuarantineEntry("item", row.GetString("Kind"), row.GetString("Reason") ?? "", row.GetString("Pointer"), row.GetString("WebhookId"),
                    row.GetInt32("ChangeIndex"), null, row.GetString("ArchiveBlob"), row.GetDateTimeOffset("ReceivedAt")));
            }
        }
        return entries.OrderBy(e => e.At ?? DateTimeOffset.MinValue).ThenBy(e => e.WebhookId, StringComparer.Ordinal)
            .ThenBy(e => e.ChangeIndex).ThenBy(e => e.Pointer, StringComparer.Ordinal).ToList();
    }

    /// <summary>A change's message id is <c>{webhookId}-{changeIndex}</c>; an unreadable message's id is a bare hash.</summary>
    private static string? WebhookIdOf(string messageId)
    {
        var dash = messageId.LastIndexOf('-');
        return dash > 0 ? messageId[..dash] : null;
    }
}
