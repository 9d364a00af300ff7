using Azure.Storage.Queues.Models;
using Coexistence.Processing;
using Coexistence.Storage;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queueing;

/// <summary>
/// Drains the change Storage queues through the same <see cref="StorageQueueConsumer"/> the queue-triggered
/// functions use: what the CLI and the end-to-end tests run where no Functions host exists.
/// A rejected message goes to the poison queue; a message that keeps failing transiently is left
/// in its queue after <see cref="MaxAttempts"/> tries and the failure is thrown.
/// </summary>
internal sealed class StorageQueueDrainer(StorageClients storage, StorageQueueConsumer consumer, ILogger<StorageQueueDrainer> logger)
{
    public const int MaxAttempts = 3;

    public async Task<IReadOnlyList<ProcessingResult>> DrainAsync(CancellationToken cancellationToken)
    {
        var results = new List<ProcessingResult>();
        // Contacts, echoes, messages and account events are small; history last so that a long chunk does not hold up the others.
        foreach (var kind in new[] { WebhookKind.ContactSync, WebhookKind.MessageEchoes, WebhookKind.Messages, WebhookKind.AccountUpdate, WebhookKind.History })
            results.AddRange(await DrainQueueAsync(kind, cancellationToken));
        return results;
    }

    public async Task<IReadOnlyList<ProcessingResult>> DrainQueueAsync(WebhookKind kind, CancellationToken cancellationToken)
    {
        var queue = storage.Queue(storage.Names.QueueFor(kind));
        var results = new List<ProcessingResult>();
        while (true)
        {
            QueueMessage[] received = (await queue.ReceiveMessagesAsync(maxMessages: 16, visibilityTimeout: TimeSpan.FromMinutes(5), cancellationToken)).Value;
            if (received.Length == 0) return results;
            foreach (var message in received)
            {
                var result = await ConsumeWithRetriesAsync(kind, message, cancellationToken);
                await queue.DeleteIfPresentAsync(message, cancellationToken);
                results.Add(result);
            }
        }
    }

    private async Task<ProcessingResult> ConsumeWithRetriesAsync(WebhookKind kind, QueueMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await consumer.ConsumeAsync(kind, message.Body, cancellationToken);
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
