using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Coexistence.Functions.ServiceBus;

/// <summary>
/// What the three Service Bus-triggered functions share: hand the message to the processor and settle
/// it explicitly. Complete on success; dead-letter at once, with the reason, when it can never succeed;
/// abandon and rethrow on a transient failure, so the delivery count and the queue's
/// <c>maxDeliveryCount</c> bound the retries. Domain types are named from the <c>Coexistence</c> namespace
/// (<c>Processing.</c>, <c>Webhooks.</c>): the tests compile this file with global usings of their own.
/// </summary>
public sealed class ServiceBusConsumer(Processing.ChangeProcessor processor, ILogger<ServiceBusConsumer> logger)
{
    /// <summary>The dead-letter reason for messages the processor rejected; the description says why.</summary>
    public const string UnprocessableReason = "Unprocessable";

    public async Task<Processing.ProcessingResult> ConsumeAsync(Webhooks.WebhookKind kind, ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, CancellationToken cancellationToken)
    {
        Processing.ProcessingResult result;
        try
        {
            result = await processor.ProcessAsync(message.Body.ToMemory(), cancellationToken);
        }
        catch (Exception e)
        {
            // No exception text: storage errors can name table keys, and keys contain customer numbers.
            logger.LogWarning("Processing {Kind} message {MessageId} failed with {ExceptionType} (delivery {DeliveryCount}); abandoning for a retry",
                kind, message.MessageId, e.GetType().Name, message.DeliveryCount);
            await actions.AbandonMessageAsync(message, null, CancellationToken.None);
            throw;
        }

        if (result.Outcome == Processing.ProcessingOutcome.Rejected)
            await actions.DeadLetterMessageAsync(message, null, UnprocessableReason, result.Reason, cancellationToken);
        else
            await actions.CompleteMessageAsync(message, cancellationToken);
        return result;
    }
}
