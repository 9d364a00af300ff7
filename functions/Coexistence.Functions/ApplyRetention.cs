using Coexistence.Operations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Coexistence.Functions;

/// <summary>
/// Applies retention on a timer (<see cref="RetentionSweep"/>; docs/operations.md, "Retention"): the schedule is the app
/// setting <c>Retention__Schedule</c> (NCRONTAB, UTC; the deployment and local.settings.sample.json set
/// <c>0 30 3 * * *</c>, daily at 03:30). A run cut short (the function timeout, a restart) is finished by the next one.
/// </summary>
public sealed class ApplyRetention(RetentionSweep sweep, ILogger<ApplyRetention> logger)
{
    /// <summary>The binding expression of the schedule: the host resolves it from the app settings.</summary>
    public const string Schedule = "%Retention:Schedule%";

    [Function(nameof(ApplyRetention))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer.IsPastDue) logger.LogInformation("Retention runs late: its schedule was missed");
        var run = await sweep.RunAsync(phoneNumberId: null, dryRun: false, cancellationToken);
        logger.LogInformation("Retention swept {Numbers} numbers ({Skipped} skipped): {Messages} messages and {Blobs} archive blobs deleted",
            run.Numbers.Count, run.Numbers.Count(n => n.Skipped is not null), run.Numbers.Sum(n => n.Messages),
            run.Numbers.Sum(n => n.Blobs) + (run.Unrouted?.Blobs ?? 0));
    }
}
