using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.ServiceBus;

/// <summary>Drains the account-updates Service Bus queue: a WABA's lifecycle events into the Numbers table, attributed to its numbers.</summary>
public sealed class ProcessAccountUpdates(ServiceBusConsumer consumer)
{
    [Function(nameof(ProcessAccountUpdates))]
    public Task Run(
        [ServiceBusTrigger(Changes.QueueNames.AccountUpdates, Connection = QueueTransport.ConnectionName,
            AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(Webhooks.WebhookKind.AccountUpdate, message, actions, cancellationToken);
}
