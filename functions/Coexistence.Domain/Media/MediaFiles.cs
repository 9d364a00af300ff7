using Azure.Storage.Blobs.Models;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Media;

/// <summary>
/// The archived media files of a number, or of one of its messages, as erasures find and delete them (docs/media.md,
/// "Erasure"): the blobs under <see cref="MessagesTable.MediaBlobName"/>'s folders.
/// </summary>
internal static class MediaFiles
{
    /// <summary>The folder of a number's files, or of one message's (<paramref name="messageId"/>).</summary>
    public static string Folder(string phoneNumberId, string? messageId = null) =>
        messageId is null ? phoneNumberId + "/" : $"{phoneNumberId}/{KeyEncoding.IdKey(messageId)}/";

    public static async Task<List<string>> NamesAsync(StorageClients storage, string folder, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in storage.Container(storage.Names.MediaContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, folder, cancellationToken))
            names.Add(blob.Name);
        return names;
    }

    /// <summary>Deletes every file under the folder; returns how many there were.</summary>
    public static async Task<long> DeleteAsync(StorageClients storage, string folder, CancellationToken cancellationToken)
    {
        var container = storage.Container(storage.Names.MediaContainer);
        long deleted = 0;
        foreach (var name in await NamesAsync(storage, folder, cancellationToken))
            if ((await container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value)
                deleted++;
        return deleted;
    }
}
