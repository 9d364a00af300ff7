using System.CommandLine;
using System.Globalization;
using Coexistence.Intake;
using Coexistence.Operations;
using Coexistence.Processing;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence reingest &lt;phone_number_id&gt; --from &lt;date&gt; --to &lt;date&gt;</c>: the archived raw
/// bodies of one number and day range through the door, the queues and the consumers again
/// (<see cref="Reingestion"/>). Idempotent.
/// </summary>
internal static class ReingestCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var number = PhoneNumberIdArgument.Create();
        var from = DateOption("--from", "First day of receipt (UTC), yyyy-MM-dd.");
        var to = DateOption("--to", "Last day of receipt (UTC), yyyy-MM-dd, inclusive.");
        var noDrain = new Option<bool>("--no-drain") { Description = "Only put the changes on the queues; the running Function App processes them." };
        var command = new Command("reingest",
            "Re-run the archived webhook bodies of one number and day range through the pipeline.") { number, from, to, noDrain };
        command.Validators.Add(result =>
        {
            if (Parse(result.GetValue(from)) is { } f && Parse(result.GetValue(to)) is { } t && t < f)
                result.AddError("--to is before --from.");
        });
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            using var progress = OperatorOutput.Progress(host, "re-ingesting");
            var summary = await services.GetRequiredService<Reingestion>().RunAsync(parse.GetRequiredValue(number), Parse(parse.GetValue(from))!.Value,
                Parse(parse.GetValue(to))!.Value, drain: !parse.GetValue(noDrain), new SynchronousProgress<ReingestProgress>(p => progress.Report(
                    p.Draining ? $"{p.BodiesDone}/{p.BodiesTotal}, processing queues" : $"{p.BodiesDone}/{p.BodiesTotal}")), cancellationToken);
            progress.Dispose();

            foreach (var body in summary.Bodies.Where(b => b.Outcome == IntakeOutcome.Rejected))
                host.Out.WriteLine($"rejected {body.ArchiveBlob}: {body.ProblemCode}");
            foreach (var result in summary.Results.Where(r => r.Outcome == ProcessingOutcome.Rejected))
            {
                var what = result.Kind is { } k ? $"{k.ToField()} change for {result.PhoneNumberId}" : "queue message";
                host.Out.WriteLine($"poisoned {what}: {result.Reason}");
            }
            host.Out.WriteLine(summary.Drained
                ? $"summary: bodies {summary.Bodies.Count}, accepted {summary.Accepted}, rejected {summary.Rejected}, messages {summary.Messages}, "
                    + $"contacts {summary.Contacts}, chunks {summary.Chunks}, quarantined {summary.Quarantined}, poisoned {summary.Poisoned}"
                : $"summary: bodies {summary.Bodies.Count}, accepted {summary.Accepted}, rejected {summary.Rejected}, queued for the Function App");
            return summary.Rejected > 0 || summary.Poisoned > 0 ? ExitCodes.RejectedOrUsage : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Option<string> DateOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true, HelpName = "yyyy-MM-dd" };
        option.Validators.Add(result =>
        {
            if (Parse(result.GetValueOrDefault<string>()) is null)
                result.AddError($"Invalid date for {name} '{result.GetValueOrDefault<string>()}': use yyyy-MM-dd.");
        });
        return option;
    }

    private static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
