using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Queueing;
using Coexistence.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.StorageQueue;

/// <summary>Drains the ContactSync queue: contact adds, edits and removes, into the tables.</summary>
public sealed class ProcessContactSync(StorageQueueConsumer consumer)
{
    [Function(nameof(ProcessContactSync))]
    public Task Run(
        [QueueTrigger(QueueNames.ContactSync, Connection = StorageConnection.Name)] QueueMessage message,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(WebhookKind.ContactSync, message.Body, cancellationToken);
}
