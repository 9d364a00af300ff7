using System.Text.Json;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.ServiceBus;

/// <summary>The Service Bus consumers' back-off (issue 18, finding 1), against the Storage-queue flavour's in host.json.</summary>
public class ServiceBusRetryScheduleTests
{
    [Fact]
    public void The_waits_double_from_30_seconds_and_the_fifth_failed_attempt_is_the_last()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ServiceBusRetrySchedule.DelayAfter(1));
        Assert.Equal(TimeSpan.FromMinutes(1), ServiceBusRetrySchedule.DelayAfter(2));
        Assert.Equal(TimeSpan.FromMinutes(2), ServiceBusRetrySchedule.DelayAfter(3));
        Assert.Equal(TimeSpan.FromMinutes(4), ServiceBusRetrySchedule.DelayAfter(4));
        Assert.Equal(TimeSpan.FromMinutes(5), ServiceBusRetrySchedule.DelayAfter(5));
        Assert.Equal(TimeSpan.FromMinutes(5), ServiceBusRetrySchedule.DelayAfter(1_000));
        Assert.False(ServiceBusRetrySchedule.GivesUpAfter(4));
        Assert.True(ServiceBusRetrySchedule.GivesUpAfter(5));
    }

    [Fact]
    public void Service_Bus_makes_as_many_attempts_as_the_Storage_flavour_and_waits_at_least_as_long_between_them()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        var attempts = queues.GetProperty("maxDequeueCount").GetInt32();
        var wait = TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(ServiceBusRetrySchedule.MaxAttempts, attempts);
        for (var failed = 1; failed < ServiceBusRetrySchedule.MaxAttempts; failed++)
            Assert.True(ServiceBusRetrySchedule.DelayAfter(failed) >= wait, $"after attempt {failed}: {ServiceBusRetrySchedule.DelayAfter(failed)} < {wait}");
    }
}
