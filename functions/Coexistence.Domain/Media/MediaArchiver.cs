using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Coexistence.Changes;
using Coexistence.Storage;
using Coexistence.Tables;
using Coexistence.Telemetry;
using Microsoft.Extensions.Logging;

namespace Coexistence.Media;

/// <summary>
/// Runs one media job (docs/media.md, "Flow"), whatever queue it came from. The job's media object is the one of the
/// message's chat row whose id is the job's (the message's own, or a history follow-up's): until the row has it, the job
/// waits. Nothing is requested when the file is archived already, when its id expired (recorded as a failure), or while
/// the provider's throttling pauses downloads (<see cref="MediaThrottle"/>). Otherwise it downloads the file, verifies
/// its SHA-256 against the webhook's, stores it as the blob <see cref="MessagesTable.MediaBlobName"/> with its MIME type,
/// and names it on the row. A permanent failure is recorded on the row and in the Quarantine table; a transient one
/// queues a copy of the job for later (the provider's <c>Retry-After</c>, else a doubling back-off) up to
/// <see cref="MediaOptions.MaxAttempts"/>. Storage failures are thrown: the queue retries the job.
/// </summary>
public sealed class MediaArchiver
{
    private const string HashMetadata = "sha256";
    private const string FetchedAtMetadata = "fetchedat";
    private const string NotStoredYet = "its message (with this media id) is not stored yet";

    private readonly StorageClients storage;
    private readonly MessageStore messages;
    private readonly NumberSnapshots numbers;
    private readonly QuarantineStore quarantine;
    private readonly MediaDownloader downloader;
    private readonly MediaThrottle throttle;
    private readonly IMediaJobQueue queue;
    private readonly MediaOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<MediaArchiver> logger;

    internal MediaArchiver(StorageClients storage, MessageStore messages, NumberSnapshots numbers, QuarantineStore quarantine, MediaDownloader downloader,
        MediaThrottle throttle, IMediaJobQueue queue, MediaOptions options, TimeProvider time, ILogger<MediaArchiver> logger)
    {
        this.storage = storage;
        this.messages = messages;
        this.numbers = numbers;
        this.quarantine = quarantine;
        this.downloader = downloader;
        this.throttle = throttle;
        this.queue = queue;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>One media job's queue message: what it came to (also counted, <c>coexistence.media.jobs</c> by outcome).</summary>
    public async Task<MediaOutcome> ProcessAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(body, cancellationToken);
        CoexistenceTelemetry.MediaJobsDone.Add(1, new KeyValuePair<string, object?>(CoexistenceTelemetry.OutcomeTag, OutcomeName(outcome)));
        return outcome;
    }

    /// <summary>An outcome as docs/media.md and the metric name it: lower case, words joined by a dash.</summary>
    public static string OutcomeName(MediaOutcome outcome) => outcome switch
    {
        MediaOutcome.AlreadyArchived => "already-archived",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private async Task<MediaOutcome> RunAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (MediaJobFormat.TryParse(body, out var error) is not { } job)
        {
            logger.LogError("A media job can never be run: {Reason}", error);
            await quarantine.RecordChangeAsync(null, "media:" + Convert.ToHexStringLower(SHA256.HashData(body.Span))[..32],
                $"unreadable media job: {error}", Encoding.UTF8.GetString(body.Span), cancellationToken);
            return MediaOutcome.Unreadable;
        }
        if (options.SourceFor(job.PhoneNumberId) is not { } source)
        {
            logger.LogInformation("Media of {PhoneNumberId} are not archived (no Media:Provider): job dropped", job.PhoneNumberId);
            return MediaOutcome.Disabled;
        }

        var blobName = MessagesTable.MediaBlobName(job.PhoneNumberId, job.MessageId, job.MediaId);
        var row = await messages.ReadChatRowAsync(job.PhoneNumberId, job.MessageId, cancellationToken);
        if (row is null && (await numbers.ReadAsync(job.PhoneNumberId, cancellationToken)).NumberErasedAt(job.QueuedAt) is not null)
        {
            logger.LogInformation("A media job of {PhoneNumberId} was queued before the number's erasure: dropped", job.PhoneNumberId);
            return MediaOutcome.Erased;
        }
        if (row is null || MessagesTable.MediaSlotOf(row, job.MediaId) is not { } slot)
            return await RetryAsync(job, null, NotStoredYet, cancellationToken);
        if (MessagesTable.IsMediaArchived(row, slot, job.MediaId)) return MediaOutcome.AlreadyArchived;

        var blob = storage.Container(storage.Names.MediaContainer).GetBlobClient(blobName);
        var expected = MediaHash.Parse(job.Sha256);
        if (await StoredFileAsync(blob, cancellationToken) is { } stored && (expected is null || stored.Hash.AsSpan().SequenceEqual(expected)))
            return await RecordArchivedAsync(job, blobName, stored.FetchedAt, stored.Bytes, cancellationToken)
                ? MediaOutcome.AlreadyArchived
                : await RetryAsync(job, null, NotStoredYet, cancellationToken);

        if (time.GetUtcNow() > job.NotAfter)
        {
            await RecordFailureAsync(job, $"expired: the media id's lifetime ended at {job.NotAfter:O}; nothing was requested", cancellationToken);
            return MediaOutcome.Expired;
        }
        if (await throttle.WaitAsync(source.ThrottleKey, cancellationToken) is { } wait)
        {
            logger.LogWarning("Media downloads of throttle key {ThrottleKey} are paused for {Wait}: job of {PhoneNumberId} deferred",
                source.ThrottleKey, wait, job.PhoneNumberId);
            await queue.SendAsync([job], wait + TimeSpan.FromSeconds(1), cancellationToken);
            return MediaOutcome.Throttled;
        }

        byte[] hash;
        long bytes;
        try
        {
            using var download = await downloader.OpenAsync(source, job.MediaId, cancellationToken);
            // A webhook without a usable hash: the provider's lookup says what the file must hash to.
            expected ??= MediaHash.Parse(download.Sha256);
            await using var hashing = new HashingStream(download.Body, options.MaxBytes);
            var contentType = job.MimeType ?? download.MimeType ?? "application/octet-stream";
            try
            {
                await blob.UploadAsync(hashing, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, download.Token);
            }
            catch (Exception e) when (e is not RequestFailedException)
            {
                throw MediaDownloader.Classify(e, cancellationToken);
            }
            (hash, bytes) = (hashing.Hash(), hashing.BytesRead);
        }
        catch (MediaFetchException e) when (e.Permanent)
        {
            if (e.CountsAsError) await throttle.RecordErrorAsync(source.ThrottleKey, null, cancellationToken);
            await RecordFailureAsync(job, e.Message, cancellationToken);
            return MediaOutcome.Failed;
        }
        catch (MediaFetchException e)
        {
            var pause = e.CountsAsError ? await throttle.RecordErrorAsync(source.ThrottleKey, e.RetryAfter, cancellationToken) : null;
            return await RetryAsync(job, pause ?? e.RetryAfter, e.Message, cancellationToken);
        }

        if (expected is not null && !hash.AsSpan().SequenceEqual(expected))
        {
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            await RecordFailureAsync(job, "hash mismatch: the file's SHA-256 is not the webhook's", cancellationToken);
            return MediaOutcome.Failed;
        }
        var fetchedAt = time.GetUtcNow().ToUnixTimeSeconds();
        await blob.SetMetadataAsync(new Dictionary<string, string>
        {
            [HashMetadata] = Convert.ToHexStringLower(hash),
            [FetchedAtMetadata] = fetchedAt.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken: cancellationToken);
        logger.LogInformation("Archived a media file of {PhoneNumberId} ({Bytes} bytes)", job.PhoneNumberId, bytes);
        return await RecordArchivedAsync(job, blobName, fetchedAt, bytes, cancellationToken)
            ? MediaOutcome.Archived
            : await RetryAsync(job, null, NotStoredYet, cancellationToken);
    }

    /// <summary>The hash, fetch time and size of a stored file, or null when there is none (or one a failed run left without its hash).</summary>
    private static async Task<(byte[] Hash, long FetchedAt, long Bytes)?> StoredFileAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (!properties.Metadata.TryGetValue(HashMetadata, out var hex) || hex.Length != 64 || !hex.All(char.IsAsciiHexDigit)) return null;
            var at = properties.Metadata.TryGetValue(FetchedAtMetadata, out var text)
                     && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : properties.LastModified.ToUnixTimeSeconds();
            return (Convert.FromHexString(hex), at, properties.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Names the file on the row's media object that has the job's id; false when no stored row has it (any more).</summary>
    private Task<bool> RecordArchivedAsync(MediaJob job, string blobName, long fetchedAt, long bytes, CancellationToken cancellationToken) =>
        messages.MergeIntoChatRowAsync(job.PhoneNumberId, job.MessageId, row => MessagesTable.MediaSlotOf(row, job.MediaId) is not { } slot
            ? null
            : new Dictionary<string, object?>
            {
                [MessagesTable.Columns.ArchiveOf(slot).Blob] = blobName,
                [MessagesTable.Columns.ArchiveOf(slot).FetchedAt] = fetchedAt,
                [MessagesTable.Columns.ArchiveOf(slot).Bytes] = bytes,
            }, cancellationToken);

    /// <summary>A permanent failure: on the row's media object that has the job's id (unless archived meanwhile), and in the Quarantine table.</summary>
    private async Task RecordFailureAsync(MediaJob job, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("A media file of {PhoneNumberId} can never be archived: {Reason}", job.PhoneNumberId, reason);
        await messages.MergeIntoChatRowAsync(job.PhoneNumberId, job.MessageId, row =>
            MessagesTable.MediaSlotOf(row, job.MediaId) is not { } slot || MessagesTable.IsMediaArchived(row, slot, job.MediaId)
                ? null
                : new Dictionary<string, object?>
                {
                    [MessagesTable.Columns.ArchiveOf(slot).Error] = reason,
                    [MessagesTable.Columns.ArchiveOf(slot).FailedAt] = time.GetUtcNow().ToUnixTimeSeconds(),
                    [MessagesTable.Columns.ArchiveOf(slot).FailedId] = job.MediaId,
                }, cancellationToken);
        await quarantine.RecordChangeAsync(job.PhoneNumberId, QuarantineId(job), $"media not archived: {reason}",
            Encoding.UTF8.GetString(MediaJobFormat.Serialize(job)), cancellationToken);
    }

    /// <summary>The Quarantine row's change id of a job: the same for every attempt of one wamid and media id.</summary>
    internal static string QuarantineId(MediaJob job) =>
        "media:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{job.MessageId}\n{job.MediaId}")))[..32];

    /// <summary>A copy of the job for later, or a permanent failure once <see cref="MediaOptions.MaxAttempts"/> are spent.</summary>
    private async Task<MediaOutcome> RetryAsync(MediaJob job, TimeSpan? retryAfter, string reason, CancellationToken cancellationToken)
    {
        var attempt = job.Attempt + 1;
        if (attempt >= options.MaxAttempts)
        {
            await RecordFailureAsync(job, $"gave up after {attempt} attempts, the last: {reason}", cancellationToken);
            return MediaOutcome.Failed;
        }
        var backOff = TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, job.Attempt)));
        var delay = retryAfter is { } asked && asked > backOff ? asked : backOff;
        logger.LogWarning("A media file of {PhoneNumberId}: {Reason}; attempt {Attempt} in {Delay}", job.PhoneNumberId, reason, attempt + 1, delay);
        await queue.SendAsync([job with { Attempt = attempt }], delay, cancellationToken);
        return MediaOutcome.Retried;
    }
}
