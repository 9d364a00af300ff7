using System.CommandLine;
using System.Globalization;
using Coexistence.Operations;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence quarantine list &lt;phone_number_id&gt;|unroutable [--json]</c>: the Quarantine rows of one number
/// (<see cref="QuarantineReport"/>).
/// </summary>
internal static class QuarantineCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var partition = new Argument<string>("phone_number_id")
        {
            Description = $"The business number's phone_number_id, or '{QuarantineReport.UnroutablePartition}'.",
        };
        partition.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (value != QuarantineReport.UnroutablePartition && !PhoneNumbers.IsValidPhoneNumberId(value))
                result.AddError(
                    $"Invalid phone_number_id '{value}': it must be 1 to {PhoneNumbers.MaxDigits} digits (or '{QuarantineReport.UnroutablePartition}').");
        });
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table (docs/cli.md)." };
        var list = new Command("list", "Items and queue messages set aside for one number, with the reason.") { partition, json };
        list.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var number = parse.GetRequiredValue(partition);
            var entries = await services.GetRequiredService<QuarantineReport>().ListAsync(number, cancellationToken);
            if (parse.GetValue(json))
            {
                OperatorOutput.WriteJson(host.Out, entries.Select(e => new
                {
                    type = e.Type,
                    kind = e.Kind,
                    reason = e.Reason,
                    pointer = e.Pointer,
                    webhookId = e.WebhookId,
                    changeIndex = e.ChangeIndex,
                    changeId = e.ChangeId,
                    archiveBlob = e.ArchiveBlob,
                    at = OperatorOutput.IsoTime(e.At),
                }));
                return ExitCodes.Success;
            }
            if (entries.Count == 0) { host.Out.WriteLine($"Nothing quarantined for {number}."); return ExitCodes.Success; }
            var table = new TextTable("TIME (UTC)", "TYPE", "KIND", "WEBHOOK", "WHERE", "REASON");
            foreach (var e in entries)
                table.Add(OperatorOutput.TableTime(e.At), e.Type, e.Kind ?? "-", e.WebhookId is { } w ? w[..Math.Min(12, w.Length)] : "-",
                    e.Type == "item" ? $"{e.ChangeIndex?.ToString(CultureInfo.InvariantCulture) ?? "-"}:{(e.Pointer is { Length: > 0 } p ? p : "(root)")}"
                        : e.ChangeId ?? "-",
                    OperatorOutput.OneLine(e.Reason));
            table.WriteTo(host.Out);
            return ExitCodes.Success;
        }, cancellationToken));
        return new Command("quarantine", "What the consumers set aside, with the reason.") { list };
    }
}
