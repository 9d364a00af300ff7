namespace Coexistence.Queueing;

/// <summary>
/// How the Service Bus consumers retry a transient failure. The broker redelivers an abandoned message at once, so
/// abandoning alone would spend the queue's <c>maxDeliveryCount</c> within seconds; the delay is ours: after failed
/// attempt n the consumer schedules a copy of the message <see cref="DelayAfter"/>(n) later and completes the
/// original. After <see cref="MaxAttempts"/> failed attempts it dead-letters the message with reason
/// <see cref="RetriesExhaustedReason"/>. The Storage-queue flavour makes the same number of attempts (the host's
/// <c>maxDequeueCount</c>, 5) 30 s apart (<c>visibilityTimeout</c>); here the waits grow, 30 s, 1, 2 and 4 minutes,
/// so that an outage of several minutes costs no message.
/// </summary>
public static class ServiceBusRetrySchedule
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);

    /// <summary>The dead-letter reason of a message whose every attempt failed; the description names the last failure.</summary>
    public const string RetriesExhaustedReason = "RetriesExhausted";

    /// <summary>True when attempt <paramref name="failedAttempt"/> (1-based) was the last one.</summary>
    public static bool GivesUpAfter(int failedAttempt) => failedAttempt >= MaxAttempts;

    /// <summary>How long after failed attempt <paramref name="failedAttempt"/> (1-based) the next one starts: doubling from <see cref="FirstDelay"/>, at most <see cref="MaxDelay"/>.</summary>
    public static TimeSpan DelayAfter(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var doublings = Math.Min(failedAttempt - 1, 16);
        var delay = FirstDelay * (1L << doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
