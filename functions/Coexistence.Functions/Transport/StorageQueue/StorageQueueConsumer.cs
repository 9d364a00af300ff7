using Azure.Storage.Queues.Models;
using Coexistence.Processing;
using Coexistence.Queueing;
using Coexistence.Webhooks;

namespace Coexistence.Functions.StorageQueue;

/// <summary>
/// What the three queue-triggered functions share: hand the message to the processor; a message that
/// can never succeed goes to the poison queue at once (its reason is in the Quarantine table); a
/// transient failure is thrown, so the host retries it up to maxDequeueCount (host.json) and then
/// poisons it itself.
/// </summary>
public sealed class StorageQueueConsumer(ChangeProcessor processor, PoisonQueue poison)
{
    public async Task<ProcessingResult> ConsumeAsync(WebhookKind kind, QueueMessage message, CancellationToken cancellationToken)
    {
        var result = await processor.ProcessAsync(message.Body.ToMemory(), cancellationToken);
        if (result.Outcome == ProcessingOutcome.Rejected)
            await poison.SendAsync(kind, message.Body, cancellationToken);
        return result;
    }
}
