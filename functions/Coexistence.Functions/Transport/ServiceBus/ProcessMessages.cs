using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.ServiceBus;

/// <summary>Drains the Messages Service Bus queue: the ordinary messages field (inbound messages, the customer's edits and revokes, statuses) into the tables.</summary>
public sealed class ProcessMessages(ServiceBusConsumer consumer)
{
    [Function(nameof(ProcessMessages))]
    public Task Run(
        [ServiceBusTrigger(Changes.QueueNames.Messages, Connection = QueueTransport.ConnectionName,
            AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(Webhooks.WebhookKind.Messages, message, actions, cancellationToken);
}
