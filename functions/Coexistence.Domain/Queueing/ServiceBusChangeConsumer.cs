using Azure.Messaging.ServiceBus;
using Coexistence.Processing;
using Coexistence.Storage;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queueing;

/// <summary>
/// What the Service Bus-triggered functions do with one message, but for settling it (the function does that with the
/// host's actions, which the domain does not know): hand it to the processor, then
/// <list type="bullet">
/// <item>processed: complete;</item>
/// <item>rejected (it can never succeed, storage refusing its writes included; the Quarantine row is written): dead-letter
/// at once with reason <see cref="ServiceBusSettlement.UnprocessableReason"/>;</item>
/// <item>failed (transient): schedule a copy for later (<see cref="ServiceBusRetrySchedule"/>) and complete the original only
/// once the broker has accepted the copy; when no copy can be scheduled, abandon (the broker redelivers at once, and the
/// queue's <c>maxDeliveryCount</c> still bounds it); after the last attempt, dead-letter with reason
/// <see cref="ServiceBusRetrySchedule.RetriesExhaustedReason"/>.</item>
/// </list>
/// No order of these steps loses a message: until the original is settled it stays in its queue.
/// </summary>
public sealed class ServiceBusChangeConsumer
{
    private readonly ChangeProcessor processor;
    private readonly ServiceBusSenders senders;
    private readonly TimeProvider time;
    private readonly ILogger<ServiceBusChangeConsumer> logger;

    internal ServiceBusChangeConsumer(ChangeProcessor processor, ServiceBusSenders senders, TimeProvider time, ILogger<ServiceBusChangeConsumer> logger)
    {
        this.processor = processor;
        this.senders = senders;
        this.time = time;
        this.logger = logger;
    }

    public async Task<ServiceBusSettlement> ConsumeAsync(WebhookKind kind, ServiceBusReceivedMessage message, CancellationToken cancellationToken)
    {
        ProcessingResult result;
        try
        {
            result = await processor.ProcessAsync(message.Body.ToMemory(), cancellationToken);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: not a failure of the message, and another instance can take it at once.
            logger.LogWarning("Processing {Kind} message {MessageId} was cancelled (the host is stopping); abandoning it", kind, message.MessageId);
            return ServiceBusSettlement.Abandon(e);
        }
        catch (Exception e)
        {
            return await RetryLaterAsync(kind, message, e, cancellationToken);
        }

        return result.Outcome == ProcessingOutcome.Rejected
            ? ServiceBusSettlement.DeadLetter(ServiceBusSettlement.UnprocessableReason, result.Reason ?? "rejected", result)
            : ServiceBusSettlement.Complete(result);
    }

    private async Task<ServiceBusSettlement> RetryLaterAsync(WebhookKind kind, ServiceBusReceivedMessage message, Exception failure,
        CancellationToken cancellationToken)
    {
        // The failure's type, status and code only: storage error texts can name table keys, and keys contain customer numbers.
        var described = PermanentFailures.Describe(failure);
        var attempt = ServiceBusMessageCopies.FailedAttemptsBefore(message) + 1;
        if (ServiceBusRetrySchedule.GivesUpAfter(attempt))
        {
            logger.LogError("Processing {Kind} message {MessageId} failed with {Failure} on attempt {Attempt} of {MaxAttempts}; dead-lettering it",
                kind, message.MessageId, described, attempt, ServiceBusRetrySchedule.MaxAttempts);
            return ServiceBusSettlement.DeadLetter(ServiceBusRetrySchedule.RetriesExhaustedReason, $"{attempt} attempts failed, the last with {described}");
        }

        var delay = ServiceBusRetrySchedule.DelayAfter(attempt);
        var copy = ServiceBusMessageCopies.RetryCopy(message, attempt);
        try
        {
            await senders.For(kind).ScheduleMessageAsync(copy, time.GetUtcNow() + delay, cancellationToken);
        }
        catch (Exception scheduling)
        {
            logger.LogWarning(
                "Processing {Kind} message {MessageId} failed with {Failure} (attempt {Attempt} of {MaxAttempts}) and its retry could not be scheduled "
                + "({SchedulingFailure}); abandoning it for an immediate redelivery",
                kind, message.MessageId, described, attempt, ServiceBusRetrySchedule.MaxAttempts, PermanentFailures.Describe(scheduling));
            return ServiceBusSettlement.Abandon(failure);
        }
        logger.LogWarning("Processing {Kind} message {MessageId} failed with {Failure} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay} as {RetryMessageId}",
            kind, message.MessageId, described, attempt, ServiceBusRetrySchedule.MaxAttempts, delay, copy.MessageId);
        return ServiceBusSettlement.Complete();
    }
}
