using Azure.Data.Tables;
using Coexistence.Changes;
using Coexistence.Media;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>
/// <c>coexistence media fetch</c> (docs/media.md, "Re-fetching"): a media job for every media object of a number's stored
/// messages whose file is not archived, so that what was missed (a job that gave up, media stored before archiving was
/// on) is tried again. A file that can never be archived (a recorded failure) is left alone unless asked. The jobs'
/// ids are taken to live <see cref="MediaOptions.IdLifetime"/> from now: the provider's 404 says when one did not. Where no
/// Functions host runs (the CLI against Azurite) the jobs are then run here; else the Function App runs them.
/// </summary>
public sealed class MediaRefetch
{
    private readonly StorageClients storage;
    private readonly IMediaJobQueue queue;
    private readonly MediaOptions options;
    private readonly MediaQueueDrainer drainer;
    private readonly TimeProvider time;

    internal MediaRefetch(StorageClients storage, IMediaJobQueue queue, MediaOptions options, MediaQueueDrainer drainer, TimeProvider time) =>
        (this.storage, this.queue, this.options, this.drainer, this.time) = (storage, queue, options, drainer, time);

    /// <param name="since">Only messages sent at or after this time (null: all).</param>
    /// <param name="includeFailed">Also the media whose failure was recorded (an expired id, a hash mismatch, ...).</param>
    /// <param name="drain">Run the media queue's jobs here once they are queued (what is put off for later stays queued).</param>
    /// <returns>Null when the number's media are not archived (no provider in the settings).</returns>
    public async Task<MediaRefetchResult?> RunAsync(string phoneNumberId, DateTimeOffset? since, bool includeFailed, bool drain,
        CancellationToken cancellationToken)
    {
        if (!options.Archives(phoneNumberId)) return null;
        var now = time.GetUtcNow();
        var from = since?.ToUnixTimeSeconds() ?? long.MinValue;
        int media = 0, archived = 0, failed = 0;
        var jobs = new List<MediaJob>();
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>(MessagesTable.AllChatRowsFilter(phoneNumberId),
                           cancellationToken: cancellationToken))
        {
            if ((row.GetInt64(MessagesTable.Columns.SentAt) ?? 0) < from || row.GetString(MessagesTable.Columns.MessageId) is not { Length: > 0 } wamid)
                continue;
            foreach (var slot in new[] { MessagesTable.Columns.Media, MessagesTable.Columns.FollowUpMedia })
            {
                if (MessagesTable.ReadMedia(row, slot) is not { Id: { Length: > 0 } mediaId } info) continue;
                media++;
                if (MessagesTable.IsMediaArchived(row, slot, mediaId)) archived++;
                else if (MessagesTable.IsMediaFailed(row, slot, mediaId) && !includeFailed) failed++;
                else jobs.Add(MediaJob.For(phoneNumberId, wamid, info, now, now + options.IdLifetime));
            }
        }
        await queue.SendAsync(jobs, TimeSpan.Zero, cancellationToken);
        return new MediaRefetchResult(media, archived, failed, jobs.Count, drain ? await drainer.DrainAsync(cancellationToken) : null);
    }
}
