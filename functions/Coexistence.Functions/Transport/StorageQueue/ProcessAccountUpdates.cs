using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Queueing;
using Coexistence.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.StorageQueue;

/// <summary>Drains the account-updates queue: a WABA's lifecycle events into the Numbers table, attributed to its numbers.</summary>
public sealed class ProcessAccountUpdates(StorageQueueConsumer consumer)
{
    [Function(nameof(ProcessAccountUpdates))]
    public Task Run(
        [QueueTrigger(QueueNames.AccountUpdates, Connection = StorageConnection.Name)] QueueMessage message,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(WebhookKind.AccountUpdate, message.Body, cancellationToken);
}
