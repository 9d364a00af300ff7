using System.Globalization;
using Azure.Storage.Blobs.Models;
using Coexistence.Storage;

namespace Coexistence.Intake;

/// <summary>
/// Keeps every accepted webhook body byte for byte, by number and day of receipt, so the tables can
/// be rebuilt after a bug is fixed: a history cannot be requested twice, our copy is the only one.
/// Blob name: <c>{phone_number_id}/{yyyy}/{MM}/{dd}/{webhookId}.json</c>; <c>unrouted/...</c> for
/// bodies that name no number (e.g. account_update). Same body, same day: same blob.
/// </summary>
public sealed class RawArchive(StorageClients storage)
{
    public const string UnroutedFolder = "unrouted";

    public static string BlobName(string? phoneNumberId, DateTimeOffset receivedAt, string webhookId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{phoneNumberId ?? UnroutedFolder}/{receivedAt.UtcDateTime:yyyy}/{receivedAt.UtcDateTime:MM}/{receivedAt.UtcDateTime:dd}/{webhookId}.json");

    public async Task StoreAsync(string blobName, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var blob = storage.Container(storage.Names.RawArchiveContainer).GetBlobClient(blobName);
        await blob.UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string> { ["receivedAt"] = receivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
        }, cancellationToken);
    }

    /// <summary>The numbers with a folder in the archive: every phone_number_id a stored webhook named (not <see cref="UnroutedFolder"/>).</summary>
    public static async Task<IReadOnlyList<string>> ListNumbersAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        var numbers = new List<string>();
        await foreach (var item in storage.Container(storage.Names.RawArchiveContainer).GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, delimiter: "/", prefix: null, cancellationToken: cancellationToken))
            if (item.IsPrefix && item.Prefix.TrimEnd('/') is var folder && folder != UnroutedFolder) numbers.Add(folder);
        return numbers;
    }

    public async Task<BinaryData> ReadAsync(string blobName, CancellationToken cancellationToken)
    {
        var result = await storage.Container(storage.Names.RawArchiveContainer).GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
        return result.Value.Content;
    }
}
