using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// Storage-queue transport only: where a message that can never succeed goes, unchanged, so it can be
/// re-driven after a fix. The reason is in the Quarantine table (and the logs). The Functions host
/// moves a message here by itself after <c>maxDequeueCount</c> failed attempts.
/// </summary>
internal sealed class PoisonQueue(StorageClients storage)
{
    public async Task SendAsync(WebhookKind kind, BinaryData message, CancellationToken cancellationToken)
    {
        var poison = storage.Queue(StorageNames.PoisonQueueOf(storage.Names.QueueFor(kind)));
        await poison.SendMessageAsync(message, cancellationToken: cancellationToken);
    }
}
