using System.CommandLine;
using System.Globalization;
using Coexistence.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence status [--json] [--stalled-after &lt;hours&gt;]</c>: every number at a glance, its history sync, connection,
/// latest lifecycle event and request window (<see cref="SyncStatusReport"/>).
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
                    connection = s.Connection,
                    lastEvent = s.LastEvent is { } last
                        ? new { @event = last.Event, reason = last.Reason, initiatedBy = last.InitiatedBy, occurredAt = OperatorOutput.IsoTime(DateTimeOffset.FromUnixTimeSeconds(last.OccurredAt)) }
                        : null,
                    lastSeenAt = OperatorOutput.IsoTime(s.LastSeenAt),
                    requestWindow = s.RequestWindow is { } w
                        ? new { opensAt = OperatorOutput.IsoTime(DateTimeOffset.FromUnixTimeSeconds(w.OpensAt)), closesAt = OperatorOutput.IsoTime(DateTimeOffset.FromUnixTimeSeconds(w.ClosesAt)), open = w.Open, pending = w.Pending }
                        : null,
                }));
                return ExitCodes.Success;
            }
            if (statuses.Count == 0) { host.Out.WriteLine("No numbers stored."); return ExitCodes.Success; }
            var table = new TextTable("PHONE NUMBER ID", "STATE", "PROGRESS", "CHUNKS", "LAST CHUNK (UTC)", "CHATS", "CONTACTS", "CONNECTION",
                "LAST EVENT", "REQUEST WINDOW");
            foreach (var s in statuses)
                table.Add(s.PhoneNumberId, s.History.State + (s.Stalled ? " (stalled)" : ""),
                    s.History.Progress.ToString(CultureInfo.InvariantCulture), s.History.Chunks.ToString(CultureInfo.InvariantCulture),
                    OperatorOutput.TableTime(s.LastChunkAt), s.Chats.ToString(CultureInfo.InvariantCulture), s.Contacts.ToString(CultureInfo.InvariantCulture),
                    s.Connection, s.LastEvent is { } e ? $"{e.Event ?? "-"}{(e.Reason is null ? "" : $" ({e.Reason})")}" : "-",
                    ConversationPrinter.WindowOf(s.RequestWindow));
            table.WriteTo(host.Out);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
