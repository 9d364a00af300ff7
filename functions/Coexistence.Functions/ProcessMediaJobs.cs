using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Media;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions;

/// <summary>
/// Runs the media jobs (docs/media.md) from the media Storage queue, in both transports' builds: downloads a message's
/// media file into the media container. A job that throws (a storage failure) is retried by the host and, after
/// <c>maxDequeueCount</c> (host.json), moved to <c>coexistence-media-poison</c>; the provider's failures never throw.
/// </summary>
public sealed class ProcessMediaJobs(MediaArchiver archiver)
{
    [Function(nameof(ProcessMediaJobs))]
    public Task Run(
        [QueueTrigger(QueueNames.Media, Connection = StorageConnection.Name)] QueueMessage message,
        CancellationToken cancellationToken) =>
        archiver.ProcessAsync(message.Body.ToMemory(), cancellationToken);
}
