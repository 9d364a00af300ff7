using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Coexistence.Changes;
using Coexistence.Storage;

namespace Coexistence.Archive;

/// <summary>
/// Keeps every accepted webhook body byte for byte, by number and day of receipt, so the tables can
/// be rebuilt after a bug is fixed: a history cannot be requested twice, our copy is the only one.
/// Blob name: <c>{phone_number_id}/{yyyy}/{MM}/{dd}/{webhookId}.json</c>; <c>unrouted/...</c> for
/// bodies that name no number (e.g. account_update). Same body, same day: same blob.
/// Blobs are written once and never overwritten (the name holds the body's SHA-256, so the bytes cannot
/// differ, and <c>receivedAt</c> must stay the first receipt's): that is what lets a queue message point at
/// a byte range of one instead of carrying a large value (<see cref="TryReadRangeAsync"/>).
/// </summary>
internal sealed class RawArchive(StorageClients storage)
{
    public const string UnroutedFolder = "unrouted";
    public const string ReceivedAtMetadata = "receivedAt";

    public static string BlobName(string? phoneNumberId, DateTimeOffset receivedAt, string webhookId) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{phoneNumberId ?? UnroutedFolder}/{receivedAt.UtcDateTime:yyyy}/{receivedAt.UtcDateTime:MM}/{receivedAt.UtcDateTime:dd}/{webhookId}.json");

    /// <summary>The <c>receivedAt</c> metadata value: ISO 8601, UTC.</summary>
    public static string FormatReceivedAt(DateTimeOffset receivedAt) => receivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the body unless the blob exists (<c>If-None-Match: *</c>). True when this call created it; false
    /// when it was already there (its bytes are the same; its metadata is whatever its writer gave it).
    /// </summary>
    public async Task<bool> StoreIfAbsentAsync(string blobName, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            await Blob(blobName).UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Metadata = new Dictionary<string, string> { [ReceivedAtMetadata] = FormatReceivedAt(receivedAt) },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes the blob's <c>receivedAt</c> metadata say <paramref name="receivedAt"/> (the registry's first receipt),
    /// reading it first so that a blob already right is left untouched.
    /// </summary>
    public async Task EnsureReceivedAtAsync(string blobName, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var blob = Blob(blobName);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        if (ReceivedAtOf(properties.Value.Metadata) == receivedAt) return;
        // The other metadata stays (a redacted body keeps its mark, Operations/CustomerErasure.cs).
        var metadata = new Dictionary<string, string>(properties.Value.Metadata.Where(m => !string.Equals(m.Key, ReceivedAtMetadata,
            StringComparison.OrdinalIgnoreCase))) { [ReceivedAtMetadata] = FormatReceivedAt(receivedAt) };
        await blob.SetMetadataAsync(metadata, cancellationToken: cancellationToken);
    }

    /// <summary>Deletes a copy that turned out to be filed under the wrong day; a copy already gone is fine.</summary>
    public async Task DeleteIfExistsAsync(string blobName, CancellationToken cancellationToken) =>
        await Blob(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>The <c>receivedAt</c> metadata of a blob, or null when missing or unreadable. Metadata names are case-insensitive.</summary>
    public static DateTimeOffset? ReceivedAtOf(IDictionary<string, string>? metadata)
    {
        if (metadata is null) return null;
        foreach (var (name, value) in metadata)
            if (string.Equals(name, ReceivedAtMetadata, StringComparison.OrdinalIgnoreCase)
                && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                return at;
        return null;
    }

    /// <summary>The names of every archived body filed under one number (<c>{phoneNumberId}/...</c>), in name order.</summary>
    public static async Task<List<string>> BlobNamesOfNumberAsync(StorageClients storage, string phoneNumberId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var blob in storage.Container(storage.Names.RawArchiveContainer)
                           .GetBlobsAsync(BlobTraits.None, BlobStates.None, phoneNumberId + "/", cancellationToken))
            names.Add(blob.Name);
        return names;
    }

    /// <summary>The numbers with a folder in the archive: every phone_number_id a stored webhook named (not <see cref="UnroutedFolder"/>).</summary>
    public static async Task<IReadOnlyList<string>> ListNumbersAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        var numbers = new List<string>();
        await foreach (var item in storage.Container(storage.Names.RawArchiveContainer).GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None,
                           delimiter: "/", prefix: null, cancellationToken: cancellationToken))
            if (item.IsPrefix && item.Prefix.TrimEnd('/') is var folder && folder != UnroutedFolder) numbers.Add(folder);
        return numbers;
    }

    public async Task<BinaryData> ReadAsync(string blobName, CancellationToken cancellationToken)
    {
        var result = await Blob(blobName).DownloadContentAsync(cancellationToken);
        return result.Value.Content;
    }

    /// <summary>
    /// Bytes [offset, offset + length) of an archived body, downloading only them. Missing blob and a range past
    /// the blob's end are answered, not thrown: both are permanent for the queue message that names them.
    /// </summary>
    public async Task<ArchiveRangeRead> TryReadRangeAsync(string blobName, PayloadRange range, CancellationToken cancellationToken)
    {
        BlobDownloadStreamingResult download;
        try
        {
            download = (await Blob(blobName).DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(range.Offset, range.Length) },
                cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return ArchiveRangeRead.Missing;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The range starts at or after the end of the blob.
            return ArchiveRangeRead.OutOfBounds(null);
        }
        using (download)
        {
            // A range running past the end is answered with the bytes up to the end: fewer than asked for.
            var size = BlobSize(download.Details.ContentRange);
            if (download.Details.ContentLength != range.Length || (size is { } total && range.Offset + range.Length > total))
                return ArchiveRangeRead.OutOfBounds(size);
            var bytes = new byte[range.Length];
            await download.Content.ReadExactlyAsync(bytes, cancellationToken); // a cut connection throws: transient, retried
            return ArchiveRangeRead.Found(bytes);
        }
    }

    /// <summary>The total from a <c>Content-Range: bytes a-b/total</c> header, when given.</summary>
    private static long? BlobSize(string? contentRange) =>
        contentRange is not null && contentRange.LastIndexOf('/') is var slash and >= 0
        && long.TryParse(contentRange.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : null;

    private Azure.Storage.Blobs.BlobClient Blob(string blobName) => storage.Container(storage.Names.RawArchiveContainer).GetBlobClient(blobName);
}
