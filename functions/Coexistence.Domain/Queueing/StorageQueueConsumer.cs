using Coexistence.Processing;
using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// What every consumer of a Storage queue does with one message (the queue-triggered functions and
/// <see cref="StorageQueueDrainer"/>): hand it to the processor; a message that can never succeed goes to the
/// poison queue at once, unchanged (its reason is in the Quarantine table). A transient failure is thrown: the
/// caller retries the message (the Functions host up to <c>maxDequeueCount</c>, then it poisons it itself).
/// </summary>
public sealed class StorageQueueConsumer
{
    private readonly ChangeProcessor processor;
    private readonly PoisonQueue poison;

    internal StorageQueueConsumer(ChangeProcessor processor, PoisonQueue poison) => (this.processor, this.poison) = (processor, poison);

    public async Task<ProcessingResult> ConsumeAsync(WebhookKind kind, BinaryData message, CancellationToken cancellationToken)
    {
        var result = await processor.ProcessAsync(message.ToMemory(), cancellationToken);
        if (result.Outcome == ProcessingOutcome.Rejected)
            await poison.SendAsync(kind, message, cancellationToken);
        return result;
    }
}
