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

    /// <summary>Records the first receipt (if this is it) and returns the time of the first receipt.</summary>
    public async Task<DateTimeOffset> FirstReceivedAtAsync(string webhookId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(WebhooksTable.Row(webhookId, receivedAt), cancellationToken);
            return receivedAt;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await Table.GetEntityAsync<TableEntity>(WebhooksTable.PartitionOf(webhookId), webhookId, cancellationToken: cancellationToken);
            return WebhooksTable.FirstReceivedAtOf(existing.Value) ?? receivedAt;
        }
    }
}
