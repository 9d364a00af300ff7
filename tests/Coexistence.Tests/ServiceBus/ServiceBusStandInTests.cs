using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Tests.ServiceBus;

/// <summary>
/// The compile-time stand-in of the Service Bus extension (ServiceBusStandIn/) must behave like the real types where the
/// transport relies on them (issue 18, finding 6): the defaults below are those of the extension's public source,
/// 5.24.0 (shared/reference/azure.md), not values read back from the stand-in.
/// </summary>
public class ServiceBusStandInTests
{
    [Fact]
    public void The_stand_in_trigger_attribute_has_the_real_one_s_defaults()
    {
        foreach (var attribute in new[] { new ServiceBusTriggerAttribute("queue"), new ServiceBusTriggerAttribute("topic", "subscription") })
        {
            Assert.False(attribute.AutoCompleteMessages);
            Assert.False(attribute.IsBatched);
            Assert.False(attribute.IsSessionsEnabled);
            Assert.Null(attribute.Connection);
        }
    }

    /// <summary>
    /// The functions settle every message themselves (complete, dead-letter, abandon, or complete after scheduling a retry
    /// copy): each says AutoCompleteMessages = false itself, so that neither a default nor host.json completes a message behind its back.
    /// </summary>
    [Fact]
    public void Every_Service_Bus_function_turns_auto_completion_off_itself_and_gets_the_settlement_actions()
    {
        var functions = typeof(Coexistence.Functions.ServiceBus.ServiceBusConsumer).Assembly.GetTypes()
            .Where(t => t.Namespace == "Coexistence.Functions.ServiceBus")
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToList();

        Assert.Equal(["ProcessAccountUpdates", "ProcessContactSync", "ProcessHistory", "ProcessMessageEchoes", "ProcessMessages"],
            functions.Select(f => f.GetCustomAttribute<FunctionAttribute>()!.Name).Order(StringComparer.Ordinal));
        foreach (var function in functions)
        {
            var trigger = Assert.Single(function.GetParameters(), p => p.GetCustomAttribute<ServiceBusTriggerAttribute>() is not null);
            var set = trigger.GetCustomAttributesData().Single(a => a.AttributeType == typeof(ServiceBusTriggerAttribute)).NamedArguments
                .SingleOrDefault(a => a.MemberName == nameof(ServiceBusTriggerAttribute.AutoCompleteMessages));
            Assert.True(set.MemberName is not null && (bool)set.TypedValue.Value! == false, $"{function.DeclaringType!.Name} does not set AutoCompleteMessages = false");
            Assert.Contains(function.GetParameters(), p => p.ParameterType == typeof(ServiceBusMessageActions));
        }
    }
}
