using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the Webhooks table (docs/data-model.md): PartitionKey = the first two hex digits of the webhook id
/// (the body's SHA-256), RowKey = the id, when the body was first received, and when
/// a delivery of it had queued all its changes.
/// </summary>
internal static class WebhooksTable
{
    public static class Columns
    {
        public const string FirstReceivedAt = "FirstReceivedAt";
        public const string QueuedAt = "QueuedAt";
    }

    public static string PartitionOf(string webhookId) => webhookId[..2];

    public static TableEntity Row(string webhookId, DateTimeOffset firstReceivedAt) =>
        new(PartitionOf(webhookId), webhookId) { [Columns.FirstReceivedAt] = firstReceivedAt };

    /// <summary>The merge that records when every change of the body was on its queue.</summary>
    public static TableEntity QueuedRow(string webhookId, DateTimeOffset queuedAt) =>
        new(PartitionOf(webhookId), webhookId) { [Columns.QueuedAt] = queuedAt };

    public static DateTimeOffset? FirstReceivedAtOf(TableEntity row) => row.GetDateTimeOffset(Columns.FirstReceivedAt);

    public static DateTimeOffset? QueuedAtOf(TableEntity row) => row.GetDateTimeOffset(Columns.QueuedAt);
}
