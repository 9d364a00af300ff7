using Azure.Messaging.ServiceBus;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Compile-time stand-in for the settlement API of Microsoft.Azure.Functions.Worker.Extensions.ServiceBus
/// (signatures from shared/reference/azure.md): a protected constructor and virtual members, mocked with Moq.
/// </summary>
public class ServiceBusMessageActions
{
    protected ServiceBusMessageActions() { }

    public virtual Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("stand-in");

    public virtual Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("stand-in");

    public virtual Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, Dictionary<string, object>? propertiesToModify = default,
        string? deadLetterReason = default, string? deadLetterErrorDescription = default, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("stand-in");

    public virtual Task DeferMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("stand-in");

    public virtual Task RenewMessageLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("stand-in");
}
