using System.Reflection;
using System.Text.Json;
using Coexistence.Functions;
using Coexistence.Tests.Retention;
using Coexistence.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence.Tests.Functions;

/// <summary>The timer-triggered <see cref="ApplyRetention"/>: its schedule binding, the settings that give it a value, and one run.</summary>
public class ApplyRetentionTests
{
    [Fact]
    public void The_timer_runs_on_the_schedule_setting_which_the_sample_settings_give_a_valid_value()
    {
        var run = typeof(ApplyRetention).GetMethod(nameof(ApplyRetention.Run))!;
        Assert.Equal(nameof(ApplyRetention), run.GetCustomAttribute<FunctionAttribute>()!.Name);
        var trigger = run.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).Single(a => a is not null)!;
        Assert.Equal("%Retention:Schedule%", trigger.Schedule);
        Assert.False(trigger.RunOnStartup);

        // The host resolves %Retention:Schedule% from Retention__Schedule, which must exist for the app to start.
        using var sample = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        var schedule = sample.RootElement.GetProperty("Values").GetProperty("Retention__Schedule").GetString();
        Assert.Equal(RetentionOptions.DefaultSchedule, schedule);
        Assert.True(RetentionOptions.IsValidSchedule(schedule));
    }

    [Fact]
    public async Task A_run_of_the_timer_applies_retention_to_every_number()
    {
        var (pipeline, time) = await RetentionData.PipelineAsync(tableDays: 30, archiveDays: 100);
        await RetentionData.SeedAsync(pipeline, time, RetentionData.A);

        await new ApplyRetention(pipeline.Get<RetentionSweep>(), NullLogger<ApplyRetention>.Instance).Run(new TimerInfo(), CancellationToken.None);

        Assert.Single(await RetentionData.MessageKeysAsync(pipeline.Storage, RetentionData.A, "c|"));
        Assert.Equal(5, (await RetentionData.BlobsAsync(pipeline.Storage, RetentionData.A)).Count);
    }
}
