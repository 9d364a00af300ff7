using Azure;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// Reads the claim-check blobs of version 1 queue messages (<see cref="ChangeMessage.PayloadBlob"/>), which doors
/// before version 2 wrote for values too large for a queue message. The door now points at a range of the raw
/// archive instead and writes none; this stays for messages queued, or set aside in poison and dead-letter
/// queues, before the upgrade. A lifecycle rule expires the old blobs (infra).
/// </summary>
public sealed class ClaimCheckStore(StorageClients storage)
{
    /// <summary>The name doors before version 2 gave a change's claim-check blob.</summary>
    public static string BlobName(WebhookKind kind, string phoneNumberId, string webhookId, int changeIndex) =>
        $"{kind.ToField()}/{phoneNumberId}/{webhookId}-{changeIndex}.json";

    /// <summary>The value, or null when the blob does not exist (a permanent failure for the message).</summary>
    public async Task<ReadOnlyMemory<byte>?> TryReadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var result = await storage.Container(storage.Names.ClaimCheckContainer).GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToMemory();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
