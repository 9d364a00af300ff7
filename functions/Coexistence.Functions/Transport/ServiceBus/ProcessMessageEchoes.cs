using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.ServiceBus;

/// <summary>Drains the MessageEchoes Service Bus queue: messages the business sent from the app, with their edits and revokes, into the tables.</summary>
public sealed class ProcessMessageEchoes(ServiceBusConsumer consumer)
{
    [Function(nameof(ProcessMessageEchoes))]
    public Task Run(
        [ServiceBusTrigger(Changes.QueueNames.MessageEchoes, Connection = QueueTransport.ConnectionName,
            AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(Webhooks.WebhookKind.MessageEchoes, message, actions, cancellationToken);
}
