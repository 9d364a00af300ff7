using Coexistence.Media;
using Coexistence.Storage;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queueing;

/// <summary>
/// Runs the media jobs visible on the media queue through the same <see cref="MediaArchiver"/> the queue-triggered
/// function uses: what the CLI and the tests run where no Functions host exists (<see cref="QueueDrain"/>). A job queued
/// again for later (a retry, a throttling pause) stays invisible until then and is not waited for.
/// </summary>
internal sealed class MediaQueueDrainer(StorageClients storage, MediaArchiver archiver, ILogger<MediaQueueDrainer> logger)
{
    public async Task<IReadOnlyList<MediaOutcome>> DrainAsync(CancellationToken cancellationToken) =>
        await QueueDrain.DrainAsync(storage.Queue(storage.Names.MediaQueue), (message, ct) => archiver.ProcessAsync(message.Body.ToMemory(), ct), logger,
            cancellationToken);
}
