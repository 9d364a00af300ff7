using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Microsoft.Azure.Functions.Worker;

/// <summary>
/// Compile-time stand-in for the attribute of Microsoft.Azure.Functions.Worker.Extensions.ServiceBus
/// (not restorable on this machine), with the signatures listed in shared/reference/azure.md and
/// nothing else. Only the tests compile against it; the deployable build uses the real package.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ServiceBusTriggerAttribute : TriggerBindingAttribute
{
    public ServiceBusTriggerAttribute(string queueName) => QueueName = queueName;

    public ServiceBusTriggerAttribute(string topicName, string subscriptionName)
    {
        TopicName = topicName;
        SubscriptionName = subscriptionName;
    }

    public string? QueueName { get; }
    public string? TopicName { get; }
    public string? SubscriptionName { get; }
    public string? Connection { get; set; }
    public bool IsSessionsEnabled { get; set; }
    public bool IsBatched { get; set; }
    /// <summary>False unless set, as in the real attribute (which then leaves it to host.json's <c>autoCompleteMessages</c>).</summary>
    public bool AutoCompleteMessages { get; set; }
}
