namespace Coexistence.Queueing;

/// <summary>What the Service Bus-triggered function does with the message it was given.</summary>
public enum ServiceBusSettlementAction
{
    /// <summary>Remove it: processed, or a retry copy of it is scheduled.</summary>
    Complete,
    /// <summary>Move it to the dead-letter queue with a reason and a description.</summary>
    DeadLetter,
    /// <summary>Give it back for an immediate redelivery and fail the invocation: no retry copy could be scheduled, or the host is stopping.</summary>
    Abandon,
}
