using Coexistence.Intake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coexistence.Functions;

/// <summary>
/// Says at start-up which webhook checks are on (counts, never a secret): a warning when webhooks get in unsigned
/// (<c>WebhookAuth:AllowUnsigned</c>), so that an operator sees it in the first log lines of the app.
/// </summary>
internal sealed class WebhookAuthenticationReport(WebhookDoor door, ILogger<WebhookAuthenticationReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (door.AcceptsUnsignedWebhooks)
            logger.LogWarning("Webhook authentication: {WebhookAuthentication}", door.AuthenticationSummary);
        else
            logger.LogInformation("Webhook authentication: {WebhookAuthentication}", door.AuthenticationSummary);
        if (door.SendersShareEveryAccount)
            logger.LogWarning("Provider and Meta app secrets are both configured and neither is limited to its accounts "
                + "(WebhookAuth:ProviderAccounts, WebhookAuth:MetaAppAccounts): either sender may write any number's rows");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
