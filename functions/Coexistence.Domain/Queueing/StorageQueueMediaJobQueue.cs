using Coexistence.Changes;
using Coexistence.Storage;

namespace Coexistence.Queueing;

/// <summary>Media jobs on the media Storage queue, sent in parallel (one message per job), whichever transport carries changes.</summary>
internal sealed class StorageQueueMediaJobQueue(StorageClients storage) : IMediaJobQueue
{
    /// <summary>A Storage queue hides a message for at most 7 days.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task SendAsync(IReadOnlyList<MediaJob> jobs, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0) return;
        var queue = storage.Queue(storage.Names.MediaQueue);
        TimeSpan? visibility = delay > TimeSpan.Zero ? (delay > MaxDelay ? MaxDelay : delay) : null;
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (job, ct) =>
            await queue.SendMessageAsync(BinaryData.FromBytes(MediaJobFormat.Serialize(job)), visibility, cancellationToken: ct));
    }
}
