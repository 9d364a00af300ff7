using Azure;
using Azure.Data.Tables;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// Remembers when each webhook body (by its SHA-256 id) was first received, in the Webhooks table
/// (<see cref="WebhooksTable"/>). A provider's retry of the same
/// body, even days later, is then stamped with the original time of receipt, so everything derived
/// from "when it was received" (a contact remove without a timestamp, the archive's day folder)
/// is the same for every delivery of that body.
/// </summary>
internal sealed class WebhookRegistry(StorageClients storage)
{
    private TableClient Table => storage.Table(storage.Names.WebhooksTable);

    /// <summary>
    /// Records the first receipt (if this is it) and returns what the registry knows: the time of the first receipt,
    /// and whether every change of the body was queued by an earlier delivery (<see cref="MarkQueuedAsync"/>).
    /// </summary>
    public async Task<WebhookReceipt> FirstReceiptAsync(string webhookId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(WebhooksTable.Row(webhookId, receivedAt), cancellationToken);
            return new WebhookReceipt(receivedAt, AllQueued: false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await Table.GetEntityAsync<TableEntity>(WebhooksTable.PartitionOf(webhookId), webhookId, cancellationToken: cancellationToken);
            return new WebhookReceipt(WebhooksTable.FirstReceivedAtOf(existing.Value) ?? receivedAt, WebhooksTable.QueuedAtOf(existing.Value) is not null);
        }
    }

    /// <summary>
    /// Notes that every change of the body is on its queue (written only after the last send succeeded). A merge: the first
    /// receipt stays as it is; a second mark by a concurrent delivery changes nothing that matters.
    /// </summary>
    public async Task MarkQueuedAsync(string webhookId, DateTimeOffset queuedAt, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(WebhooksTable.QueuedRow(webhookId, queuedAt), TableUpdateMode.Merge, cancellationToken);
}
