using Coexistence.Processing;
using Coexistence.Storage;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queueing;

/// <summary>
/// Drains the change Storage queues through the same <see cref="StorageQueueConsumer"/> the queue-triggered
/// functions use: what the CLI and the end-to-end tests run where no Functions host exists.
/// A rejected message goes to the poison queue; a message that keeps failing transiently is left
/// in its queue after <see cref="MaxAttempts"/> tries and the failure is thrown (<see cref="QueueDrain"/>).
/// </summary>
internal sealed class StorageQueueDrainer(StorageClients storage, StorageQueueConsumer consumer, ILogger<StorageQueueDrainer> logger)
{
    public const int MaxAttempts = QueueDrain.MaxAttempts;

    public async Task<IReadOnlyList<ProcessingResult>> DrainAsync(CancellationToken cancellationToken)
    {
        var results = new List<ProcessingResult>();
        // Contacts, echoes, messages and account events are small; history last so that a long chunk does not hold up the others.
        foreach (var kind in new[] { WebhookKind.ContactSync, WebhookKind.MessageEchoes, WebhookKind.Messages, WebhookKind.AccountUpdate, WebhookKind.History })
            results.AddRange(await DrainQueueAsync(kind, cancellationToken));
        return results;
    }

    public async Task<IReadOnlyList<ProcessingResult>> DrainQueueAsync(WebhookKind kind, CancellationToken cancellationToken) =>
        await QueueDrain.DrainAsync(storage.Queue(storage.Names.QueueFor(kind)), (message, ct) => consumer.ConsumeAsync(kind, message.Body, ct), logger,
            cancellationToken);
}
