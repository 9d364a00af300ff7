using System.CommandLine;
using System.Globalization;
using Coexistence.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence media fetch &lt;phone_number_id&gt; [--since yyyy-MM-dd] [--include-failed] [--no-drain]</c>: queues a media
/// job for every media file of the number's stored messages that is not archived (<see cref="MediaRefetch"/>;
/// docs/media.md, docs/cli.md) and, unless told not to, runs the media queue here.
/// </summary>
internal static class MediaCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var media = new Command("media", "The media archive: download the media files of stored messages (docs/media.md).");
        var number = PhoneNumberIdArgument.Create();
        var since = new Option<string?>("--since") { Description = "Only messages sent on or after this day (UTC).", HelpName = "yyyy-MM-dd" };
        since.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && Day(value) is null)
                result.AddError($"Invalid --since '{value}': it must be a day, yyyy-MM-dd.");
        });
        var includeFailed = new Option<bool>("--include-failed")
        {
            Description = "Also try the files recorded as never archivable (an expired id, a hash mismatch, ...).",
        };
        var noDrain = new Option<bool>("--no-drain") { Description = "Only queue the jobs; the running Function App runs them." };
        var fetch = new Command("fetch", "Queue (and run) a media job for every media file of the number that is not archived.")
        {
            number, since, includeFailed, noDrain,
        };
        fetch.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var phoneNumberId = parse.GetRequiredValue(number);
            var from = parse.GetValue(since) is { } day ? Day(day) : null;
            var result = await services.GetRequiredService<MediaRefetch>().RunAsync(phoneNumberId, from, parse.GetValue(includeFailed),
                drain: !parse.GetValue(noDrain), cancellationToken);
            if (result is null)
            {
                host.Error.WriteLine($"error: media of {phoneNumberId} are not archived: set Media__Provider and its credential (docs/media.md)");
                return ExitCodes.RejectedOrUsage;
            }
            if (result.Outcomes is { Count: > 0 } outcomes) host.Out.WriteLine(FileIngestion.MediaLine(outcomes));
            host.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"summary: media {result.Media}, archived before {result.Archived}, failed before {result.FailedLeftAlone}, queued {result.Queued}")
                + (result.Outcomes is null ? ", for the Function App" : ""));
            // A file that can never be archived is recorded (show messages, quarantine list), as ingest records a quarantined item.
            return ExitCodes.Success;
        }, cancellationToken));
        media.Add(fetch);
        return media;
    }

    private static DateTimeOffset? Day(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
}
