using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Queueing;
using Coexistence.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.StorageQueue;

/// <summary>Drains the MessageEchoes queue: messages the business sent from the app, with their edits and revokes, into the tables.</summary>
public sealed class ProcessMessageEchoes(StorageQueueConsumer consumer)
{
    [Function(nameof(ProcessMessageEchoes))]
    public Task Run(
        [QueueTrigger(QueueNames.MessageEchoes, Connection = StorageConnection.Name)] QueueMessage message,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(WebhookKind.MessageEchoes, message.Body, cancellationToken);
}
