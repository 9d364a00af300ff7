using Azure.Messaging.ServiceBus;
using Coexistence.Intake;

namespace Coexistence.Queueing;

/// <summary>
/// The retries of the Service Bus client the door sends with (the Function App's; the triggers have their own):
/// a try is cut at 1.5 s and retried once after at most 0.5 s, so that both fit the door's default deadline of 4 s
/// (<see cref="IntakeOptions.AnswerWithinMilliseconds"/>); the SDK's defaults are 60 s per try and 3 retries, far past
/// the senders' 5 s. The deadline still decides: it cancels whatever is running when it passes (docs/http-api.md, "503").
/// </summary>
public static class ServiceBusDoorRetries
{
    public static readonly TimeSpan TryTimeout = TimeSpan.FromMilliseconds(1_500);
    public const int MaxRetries = 1;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(500);

    public static void Apply(ServiceBusClientOptions options)
    {
        options.RetryOptions.Mode = ServiceBusRetryMode.Exponential;
        options.RetryOptions.TryTimeout = TryTimeout;
        options.RetryOptions.MaxRetries = MaxRetries;
        options.RetryOptions.Delay = TimeSpan.FromMilliseconds(200);
        options.RetryOptions.MaxDelay = MaxDelay;
    }
}
