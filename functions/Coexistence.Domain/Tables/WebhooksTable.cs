using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the Webhooks table (docs/data-model.md): PartitionKey = the first two hex digits of the webhook id
/// (the body's SHA-256), RowKey = the id, and when the body was first received.
/// </summary>
internal static class WebhooksTable
{
    public static class Columns
    {
        public const string FirstReceivedAt = "FirstReceivedAt";
    }

    public static string PartitionOf(string webhookId) => webhookId[..2];

    public static TableEntity Row(string webhookId, DateTimeOffset firstReceivedAt) =>
        new(PartitionOf(webhookId), webhookId) { [Columns.FirstReceivedAt] = firstReceivedAt };

    public static DateTimeOffset? FirstReceivedAtOf(TableEntity row) => row.GetDateTimeOffset(Columns.FirstReceivedAt);
}
