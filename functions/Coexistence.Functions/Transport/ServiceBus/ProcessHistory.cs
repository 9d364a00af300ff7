using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.ServiceBus;

/// <summary>Drains the History Service Bus queue: history chunks, media follow-ups and declines, into the tables.</summary>
public sealed class ProcessHistory(ServiceBusConsumer consumer)
{
    [Function(nameof(ProcessHistory))]
    public Task Run(
        [ServiceBusTrigger(Changes.QueueNames.History, Connection = QueueTransport.ConnectionName, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(Webhooks.WebhookKind.History, message, actions, cancellationToken);
}
