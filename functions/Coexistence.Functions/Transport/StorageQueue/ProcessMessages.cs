using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Queueing;
using Coexistence.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.StorageQueue;

/// <summary>Drains the Messages queue: the ordinary messages field (inbound messages, the customer's edits and revokes, statuses) into the tables.</summary>
public sealed class ProcessMessages(StorageQueueConsumer consumer)
{
    [Function(nameof(ProcessMessages))]
    public Task Run(
        [QueueTrigger(QueueNames.Messages, Connection = StorageConnection.Name)] QueueMessage message,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(WebhookKind.Messages, message.Body, cancellationToken);
}
