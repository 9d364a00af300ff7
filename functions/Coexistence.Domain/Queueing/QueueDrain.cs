using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queueing;

/// <summary>
/// What the drainers share where no Functions host runs: every visible message of a Storage queue, one after another,
/// through <c>run</c> and then deleted; a run that throws is tried again up to <see cref="MaxAttempts"/> times (a
/// message that keeps failing is left in its queue and the failure thrown), as the host's retries would.
/// </summary>
internal static class QueueDrain
{
    public const int MaxAttempts = 3;

    public static async Task<List<T>> DrainAsync<T>(QueueClient queue, Func<QueueMessage, CancellationToken, Task<T>> run, ILogger logger,
        CancellationToken cancellationToken)
    {
        var results = new List<T>();
        while (true)
        {
            QueueMessage[] received = (await queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: TimeSpan.FromMinutes(5), cancellationToken)).Value;
            if (received.Length == 0) return results;
            foreach (var message in received)
            {
                results.Add(await RunWithRetriesAsync(message, run, logger, cancellationToken));
                await queue.DeleteIfPresentAsync(message, cancellationToken);
            }
        }
    }

    private static async Task<T> RunWithRetriesAsync<T>(QueueMessage message, Func<QueueMessage, CancellationToken, Task<T>> run, ILogger logger,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run(message, cancellationToken);
            }
            catch (Exception e) when (attempt < MaxAttempts && e is not OperationCanceledException)
            {
                // The exception type only: storage error texts can name table keys, and keys contain customer numbers.
                logger.LogWarning("Processing queue message {QueueMessageId} failed with {ExceptionType} (attempt {Attempt}); retrying",
                    message.MessageId, e.GetType().Name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }
}
