using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.ServiceBus;

/// <summary>Drains the ContactSync Service Bus queue: contact adds, edits and removes, into the tables.</summary>
public sealed class ProcessContactSync(ServiceBusConsumer consumer)
{
    [Function(nameof(ProcessContactSync))]
    public Task Run(
        [ServiceBusTrigger(Changes.QueueNames.ContactSync, Connection = QueueTransport.ConnectionName, AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(Webhooks.WebhookKind.ContactSync, message, actions, cancellationToken);
}
