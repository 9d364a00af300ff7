using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Coexistence.Queueing;

internal static class QueueMessageDeletion
{
    /// <summary>
    /// Deletes a received message. A delete whose answer was lost is retried by the SDK and then finds
    /// nothing (404): the message is gone, as wanted, so that counts as done.
    /// </summary>
    public static async Task DeleteIfPresentAsync(this QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
