using System.CommandLine;
using System.Globalization;
using Coexistence.Operations;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence retention apply|set|show</c> (docs/cli.md): applies retention now, as the Function App's timer does
/// (<see cref="RetentionSweep"/>, <c>--dry-run</c> to see what would go), and sets or shows a number's own days
/// (<see cref="RetentionSettings"/>). The settings' days come from <c>Retention__TableDays</c> and <c>Retention__ArchiveDays</c>
/// in the environment, else 0 (tables kept forever) and 365.
/// </summary>
internal static class RetentionCommand
{
    public static Command Create(SharedOptions shared, CliHost host) =>
        new("retention", "Delete table rows and archived webhooks older than each number's retention, and set or show it.")
        {
            Apply(shared, host), Set(shared, host), Show(shared, host),
        };

    private static Argument<string?> Number(bool optional)
    {
        var number = new Argument<string?>("phone_number_id")
        {
            Description = "The business number's phone_number_id (digits only)" + (optional ? "; every number when left out." : "."),
            Arity = optional ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
        };
        number.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !PhoneNumbers.IsValidPhoneNumberId(value))
                result.AddError($"Invalid phone_number_id '{value}': it must be 1 to {PhoneNumbers.MaxDigits} digits.");
        });
        return number;
    }

    private static Option<bool> Json() => new("--json") { Description = "Print JSON instead of text (docs/cli.md)." };

    private static Command Apply(SharedOptions shared, CliHost host)
    {
        var number = Number(optional: true);
        var dryRun = new Option<bool>("--dry-run") { Description = "Delete nothing: count what would be deleted." };
        var json = Json();
        var command = new Command("apply", "Delete what is older than each number's retention (one number, or every number and what names none).")
        {
            number, dryRun, json,
        };
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var run = await services.GetRequiredService<RetentionSweep>().RunAsync(parse.GetValue(number), parse.GetValue(dryRun), cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorOutput.WriteJson(host.Out, new
                {
                    dryRun = run.DryRun,
                    at = OperatorOutput.IsoTime(run.At),
                    numbers = run.Numbers.Select(n => new
                    {
                        phoneNumberId = n.PhoneNumberId,
                        skipped = n.Skipped,
                        tableDays = n.TableDays,
                        archiveDays = n.ArchiveDays,
                        messages = n.Messages,
                        indexRows = n.IndexRows,
                        facts = n.Facts,
                        statuses = n.Statuses,
                        quarantine = n.Quarantine,
                        chats = n.Chats,
                        emptiedChats = n.EmptiedChats,
                        blobs = n.Blobs,
                    }),
                    unrouted = run.Unrouted is { } u
                        ? new { tableDays = u.TableDays, archiveDays = u.ArchiveDays, quarantine = u.Quarantine, blobs = u.Blobs }
                        : null,
                });
                return ExitCodes.Success;
            }
            if (run.DryRun) host.Out.WriteLine("dry run: nothing deleted; the counts are what would be");
            foreach (var n in run.Numbers)
                host.Out.WriteLine(n.Skipped is { } why
                    ? $"{n.PhoneNumberId}: skipped ({why})"
                    : $"{n.PhoneNumberId}: table {Days(n.TableDays)}, archive {Days(n.ArchiveDays)}: messages {n.Messages}, index {n.IndexRows}, "
                      + $"facts {n.Facts}, statuses {n.Statuses}, quarantine {n.Quarantine}, chats {n.Chats} (emptied {n.EmptiedChats}), blobs {n.Blobs}");
            if (run.Unrouted is { } unrouted)
                host.Out.WriteLine($"unrouted: table {Days(unrouted.TableDays)}, archive {Days(unrouted.ArchiveDays)}: "
                                   + $"quarantine {unrouted.Quarantine}, blobs {unrouted.Blobs}");
            var swept = run.Numbers.Where(n => n.Skipped is null).ToList();
            host.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"summary: numbers {run.Numbers.Count}, skipped {run.Numbers.Count - swept.Count}, messages {swept.Sum(n => n.Messages)}, "
                + $"index {swept.Sum(n => n.IndexRows)}, facts {swept.Sum(n => n.Facts)}, statuses {swept.Sum(n => n.Statuses)}, "
                + $"quarantine {swept.Sum(n => n.Quarantine) + (run.Unrouted?.Quarantine ?? 0)}, chats {swept.Sum(n => n.Chats)}, "
                + $"blobs {swept.Sum(n => n.Blobs) + (run.Unrouted?.Blobs ?? 0)}"));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Option<string?> DaysOption(string name, string what) => new(name)
    {
        Description = $"Days {what} are kept for this number: a number of days, 'none' (or 0) to keep forever, 'default' for the settings' days.",
        HelpName = "N|none|default",
        Validators = { result => { if (ParseChange(result.GetValueOrDefault<string?>()) is null) result.AddError(
            $"{name} takes a number of days from 0 to {RetentionSettings.MaxDays}, 'none' or 'default', not '{result.GetValueOrDefault<string?>()}'."); } },
    };

    /// <summary>N (0 to the maximum), <c>none</c> (= 0) or <c>default</c>; null when none of those (or absent).</summary>
    private static RetentionChange? ParseChange(string? value) => value switch
    {
        null => null,
        "none" => RetentionChange.Forever,
        "default" => RetentionChange.Default,
        _ when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= RetentionSettings.MaxDays
            => new RetentionChange(days),
        _ => null,
    };

    private static Command Set(SharedOptions shared, CliHost host)
    {
        var number = Number(optional: false);
        var tableDays = DaysOption("--table-days", "its messages, statuses and quarantined items");
        var archiveDays = DaysOption("--archive-days", "its archived webhooks");
        var command = new Command("set", "Set a number's own retention (in its registry row of the Numbers table).") { number, tableDays, archiveDays };
        command.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && result.GetResult(tableDays) is null && result.GetResult(archiveDays) is null)
                result.AddError("Give --table-days or --archive-days (or both).");
        });
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var retention = await services.GetRequiredService<RetentionSettings>().SetAsync(parse.GetValue(number)!,
                ParseChange(parse.GetValue(tableDays)), ParseChange(parse.GetValue(archiveDays)), cancellationToken);
            host.Out.WriteLine($"{retention.PhoneNumberId}: table {Setting(retention.TableDays, retention.TableDaysOverride)}, "
                               + $"archive {Setting(retention.ArchiveDays, retention.ArchiveDaysOverride)}");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command Show(SharedOptions shared, CliHost host)
    {
        var number = Number(optional: true);
        var json = Json();
        var command = new Command("show", "The retention settings, and each number's retention (its own days, or the settings').") { number, json };
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var settings = services.GetRequiredService<RetentionSettings>();
            var numbers = parse.GetValue(number) is { } one ? [await settings.GetAsync(one, cancellationToken)] : await settings.ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorOutput.WriteJson(host.Out, new
                {
                    defaults = new { tableDays = settings.DefaultTableDays, archiveDays = settings.DefaultArchiveDays },
                    numbers = numbers.Select(n => new
                    {
                        phoneNumberId = n.PhoneNumberId,
                        tableDays = n.TableDays,
                        tableDaysOverride = n.TableDaysOverride,
                        archiveDays = n.ArchiveDays,
                        archiveDaysOverride = n.ArchiveDaysOverride,
                        erased = n.Erased,
                    }),
                });
                return ExitCodes.Success;
            }
            host.Out.WriteLine($"defaults: table {Days(settings.DefaultTableDays)}, archive {Days(settings.DefaultArchiveDays)}");
            if (numbers.Count == 0) { host.Out.WriteLine("No numbers stored."); return ExitCodes.Success; }
            var table = new TextTable("PHONE NUMBER ID", "TABLE", "ARCHIVE");
            foreach (var n in numbers)
                table.Add(n.PhoneNumberId, n.Erased ? "erased" : Setting(n.TableDays, n.TableDaysOverride),
                    n.Erased ? "erased" : Setting(n.ArchiveDays, n.ArchiveDaysOverride));
            table.WriteTo(host.Out);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>forever</c>, <c>1 day</c>, <c>30 days</c>.</summary>
    private static string Days(int days) => days switch
    {
        0 => "forever",
        1 => "1 day",
        _ => string.Create(CultureInfo.InvariantCulture, $"{days} days"),
    };

    /// <summary>The days, marked <c>(default)</c> when the number has none of its own.</summary>
    private static string Setting(int days, int? own) => own is null ? Days(days) + " (default)" : Days(days);
}
