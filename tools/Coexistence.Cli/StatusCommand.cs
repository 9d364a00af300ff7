using System.CommandLine;
using System.Globalization;
using Coexistence.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence status [--json] [--stalled-after &lt;hours&gt;]</c>: the history sync of every number at a glance
/// (<see cref="SyncStatusReport"/>).
/// </summary>
internal static class StatusCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table (docs/cli.md)." };
        var stalledAfter = new Option<double>("--stalled-after")
        {
            Description = "Hours without a new chunk after which an unfinished history sync is marked stalled.",
            HelpName = "hours",
            DefaultValueFactory = _ => SyncStatusReport.DefaultStalledAfter.TotalHours,
        };
        stalledAfter.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 24 * 365))
                result.AddError("--stalled-after must be a number of hours above 0.");
        });
        var command = new Command("status", "The history sync status of every business number, with chat and contact counts.") { json, stalledAfter };
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            using var progress = OperatorOutput.Progress(host, "numbers");
            var statuses = await services.GetRequiredService<SyncStatusReport>()
                .ListAsync(TimeSpan.FromHours(parse.GetValue(stalledAfter)), progress, cancellationToken);
            progress.Dispose();
            if (parse.GetValue(json))
            {
                OperatorOutput.WriteJson(host.Out, statuses.Select(s => new
                {
                    phoneNumberId = s.PhoneNumberId,
                    state = s.History.State,
                    progress = s.History.Progress,
                    chunks = s.History.Chunks,
                    lastChunkAt = OperatorOutput.IsoTime(s.LastChunkAt),
                    stalled = s.Stalled,
                    error = s.History.Error is { } e ? new { code = e.Code, message = e.Message } : null,
                    chats = s.Chats,
                    contacts = s.Contacts,
                }));
                return ExitCodes.Success;
            }
            if (statuses.Count == 0) { host.Out.WriteLine("No numbers stored."); return ExitCodes.Success; }
            var table = new TextTable("PHONE NUMBER ID", "STATE", "PROGRESS", "CHUNKS", "LAST CHUNK (UTC)", "CHATS", "CONTACTS");
            foreach (var s in statuses)
                table.Add(s.PhoneNumberId, s.History.State + (s.Stalled ? " (stalled)" : ""),
                    s.History.Progress.ToString(CultureInfo.InvariantCulture), s.History.Chunks.ToString(CultureInfo.InvariantCulture),
                    OperatorOutput.TableTime(s.LastChunkAt), s.Chats.ToString(CultureInfo.InvariantCulture), s.Contacts.ToString(CultureInfo.InvariantCulture));
            table.WriteTo(host.Out);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
