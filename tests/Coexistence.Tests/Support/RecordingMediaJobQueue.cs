using System.Collections.Concurrent;

namespace Coexistence.Tests.Support;

/// <summary>
/// The real media queue, with a note of every job sent and its delay: a retried job is invisible on the queue, so this
/// is where a test reads what the copy says (its attempt) and how long it waits.
/// </summary>
internal sealed class RecordingMediaJobQueue(IMediaJobQueue inner) : IMediaJobQueue
{
    private readonly ConcurrentQueue<(MediaJob Job, TimeSpan Delay)> sent = new();

    public IReadOnlyList<(MediaJob Job, TimeSpan Delay)> Sent => [.. sent];

    public async Task SendAsync(IReadOnlyList<MediaJob> jobs, TimeSpan delay, CancellationToken cancellationToken)
    {
        await inner.SendAsync(jobs, delay, cancellationToken);
        foreach (var job in jobs) sent.Enqueue((job, delay));
    }
}
