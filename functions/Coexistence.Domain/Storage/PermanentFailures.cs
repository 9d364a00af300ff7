using Azure;
using Azure.Messaging.ServiceBus;

namespace Coexistence.Storage;

/// <summary>
/// Which failures of Azure Storage and Service Bus no retry can fix, because the service refused the request itself:
/// a 400 (a bad key or property) or 413 (too large) from storage; a Service Bus message too large, or a queue that does
/// not exist or is disabled. Everything else (throttling, timeouts, 5xx, broken connections, a lost lock, an error of
/// unknown kind) counts as transient: retrying is the safe default. One rule for the door (503 or 500) and the
/// consumers of both transports (retry, or set the message aside at once).
/// </summary>
public static class PermanentFailures
{
    public static bool IsPermanent(Exception e) => e switch
    {
        RequestFailedException failed => failed.Status is 400 or 413,
        ServiceBusException serviceBus => serviceBus.Reason is ServiceBusFailureReason.MessageSizeExceeded
            or ServiceBusFailureReason.MessagingEntityNotFound or ServiceBusFailureReason.MessagingEntityDisabled,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions is { Count: > 0 } inner && inner.All(IsPermanent),
        _ => false,
    };

    /// <summary>
    /// A failure as logs, dead-letter descriptions and Quarantine reasons may name it: its type, status and error code
    /// (fixed words), never its message, which for storage can quote table keys, and keys contain customer numbers.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        RequestFailedException failed => $"{failed.GetType().Name} status {failed.Status}" + (failed.ErrorCode is { Length: > 0 } code ? $" ({code})" : ""),
        ServiceBusException serviceBus => $"{serviceBus.GetType().Name} {serviceBus.Reason}",
        AggregateException aggregate when aggregate.Flatten().InnerExceptions is { Count: > 0 } inner => Describe(inner[0]),
        _ => e.GetType().Name,
    };
}
