using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Queueing;
using Coexistence.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Functions.StorageQueue;

/// <summary>Drains the History queue: history chunks, media follow-ups and declines, into the tables.</summary>
public sealed class ProcessHistory(StorageQueueConsumer consumer)
{
    [Function(nameof(ProcessHistory))]
    public Task Run(
        [QueueTrigger(QueueNames.History, Connection = StorageConnection.Name)] QueueMessage message,
        CancellationToken cancellationToken) =>
        consumer.ConsumeAsync(WebhookKind.History, message.Body, cancellationToken);
}
