using Azure.Messaging.ServiceBus;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>
/// Lists and re-drives the dead-letter sub-queues of the three Service Bus queues (the production
/// transport). Listing only peeks (nothing is locked or changed). A re-drive receives the selected
/// messages from the dead-letter queue, sends a copy to the main queue and then completes the
/// dead-lettered one; the Function App's consumers pick the copy up. The copy gets a new MessageId
/// (<c>{id}|redrive|{ticks}</c>): the original id is still in the queue's duplicate-detection window
/// and the broker would silently drop it. The consumers' writes are idempotent, so a copy is harmless.
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
                        await sender.SendMessageAsync(Copy(message), cancellationToken);
                        await receiver.CompleteMessageAsync(message, cancellationToken);
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

    /// <summary>The message to send back: same body and properties, a fresh id, no dead-letter marks.</summary>
    public static ServiceBusMessage Copy(ServiceBusReceivedMessage message)
    {
        var copy = new ServiceBusMessage(message)
        {
            MessageId = $"{message.MessageId}|redrive|{DateTimeOffset.UtcNow.UtcTicks}",
        };
        copy.ApplicationProperties.Remove("DeadLetterReason");
        copy.ApplicationProperties.Remove("DeadLetterErrorDescription");
        copy.ApplicationProperties["redrivenFrom"] = message.MessageId;
        return copy;
    }

    private static DeadLetteredMessage Describe(WebhookKind kind, ServiceBusReceivedMessage message)
    {
        var (changeId, parsed) = PoisonQueueOperations.Identify(message.Body);
        // A re-driven copy that failed again: report it under its original id, so --id keeps working.
        if (message.ApplicationProperties.TryGetValue("redrivenFrom", out var original) && original is string originalId) changeId = originalId;
        else if (parsed is null && !string.IsNullOrEmpty(message.MessageId)) changeId = message.MessageId;
        return new DeadLetteredMessage(kind, changeId, message.SequenceNumber,
            parsed?.PhoneNumberId ?? message.ApplicationProperties.GetValueOrDefault("phoneNumberId") as string,
            parsed?.WebhookId, parsed?.ReceivedAt, message.EnqueuedTime, message.DeliveryCount, message.DeadLetterReason, message.DeadLetterErrorDescription);
    }

    /// <summary><c>mynamespace</c> or <c>mynamespace.servicebus.windows.net</c> (or any host name) to a fully qualified namespace.</summary>
    public static string FullyQualified(string serviceBusNamespace) =>
        serviceBusNamespace.Contains('.', StringComparison.Ordinal) ? serviceBusNamespace : serviceBusNamespace + ".servicebus.windows.net";
}
