using Azure.Messaging.ServiceBus;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>
/// Lists and re-drives the dead-letter sub-queues of the three Service Bus queues (the production
/// transport). Listing only peeks (nothing is locked or changed). A re-drive receives the selected
/// messages from the dead-letter queue, sends a copy to the main queue and then completes the
/// dead-lettered one; the Function App's consumers pick the copy up. The copy
/// (<see cref="ServiceBusMessageCopies.RedriveCopy"/>) gets a new MessageId,
/// <c>{original id}|redrive|{sequence number}</c>: the original id is still in the queue's duplicate-detection
/// window and the broker would silently drop it. It is built from the change's original id, however often the
/// change was re-driven, so it stays within 128 characters and <c>redrivenFrom</c> keeps naming the original.
/// The consumers' writes are idempotent, so a copy is harmless.
/// </summary>
public sealed class ServiceBusDeadLetters(ServiceBusClient client, StorageNames names)
{
    private const int Batch = 100;
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<DeadLetteredMessage>> ListAsync(WebhookKind? kind, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var found = new List<DeadLetteredMessage>();
        foreach (var k in WebhookKinds.All.Where(k => kind is null || k == kind))
        {
            await using var receiver = client.CreateReceiver(names.QueueFor(k), new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
            long? from = null;
            while (true)
            {
                var batch = await receiver.PeekMessagesAsync(Batch, from, cancellationToken);
                if (batch is null || batch.Count == 0) break;
                found.AddRange(batch.Select(m => Describe(k, m)));
                progress?.Report(found.Count);
                from = batch[^1].SequenceNumber + 1;
            }
        }
        return found;
    }

    public async Task<DeadLetterRedriveSummary> RedriveAsync(PoisonSelection selection, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var redriven = 0;
        var left = 0;
        foreach (var kind in WebhookKinds.All.Where(k => selection.Kind is null || k == selection.Kind))
        {
            var queue = names.QueueFor(kind);
            await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
            await using var sender = client.CreateSender(queue);
            var seen = new HashSet<long>();
            var skipped = new List<ServiceBusReceivedMessage>();
            try
            {
                while (true)
                {
                    var batch = await receiver.ReceiveMessagesAsync(Batch, ReceiveWait, cancellationToken);
                    var fresh = (batch ?? []).Where(m => seen.Add(m.SequenceNumber)).ToList();
                    if (fresh.Count == 0) break;
                    foreach (var message in fresh)
                    {
                        var described = Describe(kind, message);
                        if (!selection.Matches(kind, described.ChangeId, described.PhoneNumberId, described.WebhookId))
                        {
                            skipped.Add(message);
                            continue;
                        }
                        await sender.SendMessageAsync(ServiceBusMessageCopies.RedriveCopy(message), cancellationToken);
                        // The copy is sent: completing must not be cut short by a cancellation now (a re-drive run again
                        // would send the same copy id, which duplicate detection drops, but the dead letter would stay).
                        await receiver.CompleteMessageAsync(message, CancellationToken.None);
                        redriven++;
                        progress?.Report(redriven);
                    }
                }
            }
            finally
            {
                // Not selected: give the lock back at once so the message stays in the dead-letter queue as it was.
                foreach (var message in skipped)
                    await receiver.AbandonMessageAsync(message, propertiesToModify: null, CancellationToken.None);
                left += skipped.Count;
            }
        }
        return new DeadLetterRedriveSummary(redriven, left);
    }

    private static DeadLetteredMessage Describe(WebhookKind kind, ServiceBusReceivedMessage message)
    {
        var (changeId, parsed) = PoisonQueueOperations.Identify(message.Body);
        // The body names its change; a body too broken to read is reported under the id the door gave it (a retry or
        // re-driven copy names it), so that --id with what poison list printed keeps matching.
        if (parsed is null && ServiceBusMessageCopies.OriginalIdOf(message) is { Length: > 0 } originalId) changeId = originalId;
        return new DeadLetteredMessage(kind, changeId, message.SequenceNumber,
            parsed?.PhoneNumberId ?? message.ApplicationProperties.GetValueOrDefault("phoneNumberId") as string,
            parsed?.WebhookId, parsed?.ReceivedAt, message.EnqueuedTime, message.DeliveryCount, message.DeadLetterReason, message.DeadLetterErrorDescription);
    }

    /// <summary><c>mynamespace</c> or <c>mynamespace.servicebus.windows.net</c> (or any host name) to a fully qualified namespace.</summary>
    public static string FullyQualified(string serviceBusNamespace) =>
        serviceBusNamespace.Contains('.', StringComparison.Ordinal) ? serviceBusNamespace : serviceBusNamespace + ".servicebus.windows.net";
}
