namespace Coexistence.Archive;

/// <summary>What <see cref="RawArchive.TryReadRangeAsync"/> found: the bytes, no blob, or a range past its end (with the blob's size when known).</summary>
internal sealed record ArchiveRangeRead(ReadOnlyMemory<byte>? Bytes, bool BlobMissing, long? BlobSize)
{
    public static readonly ArchiveRangeRead Missing = new(null, true, null);
    public static ArchiveRangeRead Found(byte[] bytes) => new(bytes, false, null);
    public static ArchiveRangeRead OutOfBounds(long? blobSize) => new(null, false, blobSize);
}
