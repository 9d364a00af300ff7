using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Coexistence.Changes;
using Coexistence.Processing;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Tables;
using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>
/// Lists and re-drives the Storage-queue poison queues (<c>&lt;queue&gt;-poison</c>). A re-drive moves a
/// message back, unchanged, to its queue and then (unless the Function App is left to do it) drains
/// that queue through the same <see cref="StorageQueueDrainer"/> and <see cref="ChangeProcessor"/>: a
/// message that fails again goes back to the poison queue with a fresh reason.
/// </summary>
public sealed class PoisonQueueOperations
{
    /// <summary>How long a listed message stays hidden while the listing runs; it is released right after.</summary>
    private static readonly TimeSpan ListingVisibility = TimeSpan.FromMinutes(2);

    private readonly StorageClients storage;
    private readonly StorageQueueDrainer drainer;
    private readonly QuarantineStore quarantine;

    internal PoisonQueueOperations(StorageClients storage, StorageQueueDrainer drainer, QuarantineStore quarantine) =>
        (this.storage, this.drainer, this.quarantine) = (storage, drainer, quarantine);

    /// <summary>
    /// Every message of the poison queue(s), oldest first per queue. Storage queues can only peek 32
    /// messages, so the listing receives them (hidden briefly) and releases each one at once; the
    /// dequeue count of a poison message grows, which nothing reads.
    /// </summary>
    public async Task<IReadOnlyList<PoisonMessage>> ListAsync(WebhookKind? kind, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var found = new List<PoisonMessage>();
        foreach (var k in WebhookKinds.All.Where(k => kind is null || k == kind))
        {
            var queue = PoisonQueueOf(k);
            var messages = await ReceiveAllAsync(queue, cancellationToken);
            try
            {
                foreach (var message in messages.OrderBy(m => m.InsertedOn))
                {
                    found.Add(await DescribeAsync(k, message, cancellationToken));
                    progress?.Report(found.Count);
                }
            }
            finally
            {
                await ReleaseAllAsync(queue, messages);
            }
        }
        return found;
    }

    /// <summary>
    /// Moves the selected poison messages back to their queues (send, then delete from poison: a crash in
    /// between leaves a duplicate, which the consumers' idempotent writes absorb) and drains those queues
    /// when <paramref name="drain"/> is set.
    /// </summary>
    public async Task<RedriveSummary> RedriveAsync(PoisonSelection selection, bool drain, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var redriven = 0;
        var touched = new List<WebhookKind>();
        foreach (var kind in WebhookKinds.All.Where(k => selection.Kind is null || k == selection.Kind))
        {
            var poison = PoisonQueueOf(kind);
            var target = storage.Queue(storage.Names.QueueFor(kind));
            var moved = 0;
            var messages = await ReceiveAllAsync(poison, cancellationToken);
            var movedIds = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var message in messages.OrderBy(m => m.InsertedOn))
                {
                    var (changeId, parsed) = Identify(message.Body);
                    if (!selection.Matches(kind, changeId, parsed?.PhoneNumberId, parsed?.WebhookId)) continue;
                    await target.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                    movedIds.Add(message.MessageId);
                    await poison.DeleteIfPresentAsync(message, cancellationToken);
                    moved++;
                    progress?.Report(redriven + moved);
                }
            }
            finally
            {
                // What was not moved (not selected, or not reached after a failure) is visible again at once.
                await ReleaseAllAsync(poison, messages.Where(m => !movedIds.Contains(m.MessageId)).ToList());
            }
            if (moved > 0) touched.Add(kind);
            redriven += moved;
        }

        if (!drain || redriven == 0) return new RedriveSummary(redriven, drain && redriven > 0, 0, 0, []);
        var results = new List<ProcessingResult>();
        foreach (var kind in touched)
            results.AddRange(await drainer.DrainQueueAsync(kind, cancellationToken));
        return new RedriveSummary(redriven, true,
            results.Count(r => r.Outcome == ProcessingOutcome.Processed), results.Count(r => r.Outcome == ProcessingOutcome.Rejected), results);
    }

    /// <summary>The change id (as in the Quarantine table and on Service Bus), or the SHA-256 of an unreadable message.</summary>
    internal static (string ChangeId, ChangeMessage? Message) Identify(BinaryData body)
    {
        var bytes = body.ToMemory();
        return ChangeMessageFormat.TryParse(bytes, out var message, out _)
            ? (message!.ChangeId, message)
            : (ChangeProcessor.IdOfUnreadable(bytes), null);
    }

    private async Task<PoisonMessage> DescribeAsync(WebhookKind kind, QueueMessage message, CancellationToken cancellationToken)
    {
        var (changeId, parsed) = Identify(message.Body);
        var (reason, recordedAt) = await quarantine.ReasonOfChangeAsync(parsed?.PhoneNumberId, changeId, cancellationToken);
        return new PoisonMessage(kind, changeId, message.MessageId, parsed?.PhoneNumberId, parsed?.WebhookId, parsed?.EventId, parsed?.ReceivedAt,
            message.InsertedOn, reason, recordedAt);
    }

    private QueueClient PoisonQueueOf(WebhookKind kind) => storage.Queue(StorageNames.PoisonQueueOf(storage.Names.QueueFor(kind)));

    /// <summary>
    /// Receives every visible message, hiding each for <see cref="ListingVisibility"/>; stops when a batch
    /// brings nothing new (a message seen twice means the listing outlived its visibility timeout).
    /// </summary>
    private static async Task<List<QueueMessage>> ReceiveAllAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<QueueMessage>();
        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: ListingVisibility, cancellationToken)).Value;
            var fresh = batch.Where(m => seen.Add(m.MessageId)).ToList();
            if (fresh.Count == 0) return all;
            all.AddRange(fresh);
        }
    }

    /// <summary>Makes the messages visible again (also after a cancellation: the release does not take the caller's token).</summary>
    private static async Task ReleaseAllAsync(QueueClient queue, IReadOnlyList<QueueMessage> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, message: null, visibilityTimeout: TimeSpan.Zero, CancellationToken.None);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
    }
}
