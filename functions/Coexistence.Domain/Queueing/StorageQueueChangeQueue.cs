using Coexistence.Changes;
using Coexistence.Storage;

namespace Coexistence.Queueing;

/// <summary>Sends change messages to one Azure Storage queue per kind (Base64, as the Functions queue trigger reads them).</summary>
internal sealed class StorageQueueChangeQueue(StorageClients storage) : IChangeQueue
{
    /// <summary>
    /// The largest <c>Intake:ClaimCheckThresholdBytes</c> accepted at start-up with this transport: a Storage queue
    /// message holds 64 KiB after Base64, which is 48 KiB (49,152 bytes) of text.
    /// </summary>
    public const int MaxClaimCheckThresholdBytes = 64 * 1024 / 4 * 3;

    public async Task SendAsync(ChangeMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var queue = storage.Queue(storage.Names.QueueFor(message.Kind));
        await queue.SendMessageAsync(BinaryData.FromBytes(body), cancellationToken: cancellationToken);
    }
}
