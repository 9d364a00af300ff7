using Coexistence.Changes;
using Coexistence.Storage;

namespace Coexistence.Queueing;

/// <summary>Sends change messages to one Azure Storage queue per kind (Base64, as the Functions queue trigger reads them).</summary>
internal sealed class StorageQueueChangeQueue(StorageClients storage) : IChangeQueue
{
    public async Task SendAsync(ChangeMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var queue = storage.Queue(storage.Names.QueueFor(message.Kind));
        await queue.SendMessageAsync(BinaryData.FromBytes(body), cancellationToken: cancellationToken);
    }
}
