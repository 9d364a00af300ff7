using Azure;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// Holds change values too large for a queue message. Blobs are named after the webhook and change,
/// so a retried body overwrites its own claim with the same bytes. They are not deleted after
/// processing (a duplicate message may still need them); a lifecycle rule expires them (infra).
/// </summary>
public sealed class ClaimCheckStore(StorageClients storage)
{
    public static string BlobName(WebhookKind kind, string phoneNumberId, string webhookId, int changeIndex) =>
        $"{kind.ToField()}/{phoneNumberId}/{webhookId}-{changeIndex}.json";

    public async Task StoreAsync(string blobName, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var blob = storage.Container(storage.Names.ClaimCheckContainer).GetBlobClient(blobName);
        await blob.UploadAsync(BinaryData.FromBytes(value), overwrite: true, cancellationToken);
    }

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
