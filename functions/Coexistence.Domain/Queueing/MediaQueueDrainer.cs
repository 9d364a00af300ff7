using Azure.Storage.Queues.Models;
using Coexistence.Media;
using Coexistence.Storage;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queueing;

/// <summary>
/// Runs the media jobs visible on the media queue through the same <see cref="MediaArchiver"/> the queue-triggered
/// function uses: what the CLI and the tests run where no Functions host exists. A job queued again for later (a retry,
/// a throttling pause) stays invisible until then and is not waited for. A job whose run keeps failing (storage errors)
/// is left in the queue after <see cref="MaxAttempts"/> tries and the failure is thrown.
/// </summary>
internal sealed class MediaQueueDrainer(StorageClients storage, MediaArchiver archiver, ILogger<MediaQueueDrainer> logger)
{
    public const int MaxAttempts = 3;

    public async Task<IReadOnlyList<MediaOutcome>> DrainAsync(CancellationToken cancellationToken)
    {
        var queue = storage.Queue(storage.Names.MediaQueue);
        var outcomes = new List<MediaOutcome>();
        while (true)
        {
            QueueMessage[] received = (await queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: TimeSpan.FromMinutes(5), cancellationToken)).Value;
            if (received.Length == 0) return outcomes;
            foreach (var message in received)
            {
                outcomes.Add(await RunWithRetriesAsync(message, cancellationToken));
                await queue.DeleteIfPresentAsync(message, cancellationToken);
            }
        }
    }

    private async Task<MediaOutcome> RunWithRetriesAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await archiver.ProcessAsync(message.Body.ToMemory(), cancellationToken);
            }
            catch (Exception e) when (attempt < MaxAttempts && e is not OperationCanceledException)
            {
                logger.LogWarning("Media job {QueueMessageId} failed with {ExceptionType} (attempt {Attempt}); retrying",
                    message.MessageId, e.GetType().Name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }
}
