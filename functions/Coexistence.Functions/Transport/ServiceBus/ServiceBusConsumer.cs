using System.Runtime.ExceptionServices;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.ServiceBus;

/// <summary>
/// What the four Service Bus-triggered functions share: the domain's consumer decides
/// (<see cref="Queueing.ServiceBusChangeConsumer"/>: complete, dead-letter with a reason, or abandon), and this settles
/// the message accordingly through the host's actions. Domain types are named from the <c>Coexistence</c> namespace
/// (<c>Queueing.</c>, <c>Webhooks.</c>): the tests compile this file with global usings of their own. Settlement runs
/// with <see cref="CancellationToken.None"/>: once the work is done, a cancellation of the invocation must not abort it,
/// or the message would be processed again (issue 18, finding 2). An abandoned message's failure is rethrown, so that
/// the invocation shows as failed.
/// </summary>
public sealed class ServiceBusConsumer(Queueing.ServiceBusChangeConsumer consumer)
{
    public async Task<Queueing.ServiceBusSettlement> ConsumeAsync(Webhooks.WebhookKind kind, ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions, CancellationToken cancellationToken)
    {
        var settlement = await consumer.ConsumeAsync(kind, message, cancellationToken);
        switch (settlement.Action)
        {
            case Queueing.ServiceBusSettlementAction.Complete:
                await actions.CompleteMessageAsync(message, CancellationToken.None);
                break;
            case Queueing.ServiceBusSettlementAction.DeadLetter:
                await actions.DeadLetterMessageAsync(message, null, settlement.DeadLetterReason, settlement.DeadLetterDescription, CancellationToken.None);
                break;
            default:
                await actions.AbandonMessageAsync(message, null, CancellationToken.None);
                ExceptionDispatchInfo.Throw(settlement.Failure!);
                break;
        }
        return settlement;
    }
}
