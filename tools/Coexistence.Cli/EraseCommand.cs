using System.CommandLine;
using Coexistence.Operations;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence erase &lt;phone_number_id&gt; [--customer &lt;id&gt;] [--yes] [--by &lt;name&gt;] [--json]</c>: erases a number
/// (<see cref="NumberErasure"/>) or one customer of it (<see cref="CustomerErasure"/>). Without <c>--yes</c> a dry run: what
/// would be erased, nothing deleted. Unknown number or customer: exit 2.
/// </summary>
internal static class EraseCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var number = PhoneNumberIdArgument.Create();
        var customer = new Option<string?>("--customer")
        {
            Description = "Erase only this customer: their chat id (phone number, '+', spaces and dashes ignored) or business-scoped user id.",
            HelpName = "chat id or BSUID",
        };
        customer.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !ChatIds.TryNormalize(value, out _))
                result.AddError($"Invalid --customer '{value}': a phone number or a business-scoped user id (e.g. US.13491208655302741918).");
        });
        var yes = new Option<bool>("--yes") { Description = "Erase. Without it, only print what would be erased." };
        var by = new Option<string?>("--by") { Description = "Who asked for the erasure, for the record (default: the OS user name).", HelpName = "name" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text (docs/cli.md)." };
        var command = new Command("erase",
            "Erase a business number's data (rows, archived bodies, queued changes), or one customer's, and record the erasure.")
            { number, customer, yes, by, json };
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var phoneNumberId = parse.GetRequiredValue(number);
            string? customerId = parse.GetValue(customer) is { } raw && ChatIds.TryNormalize(raw, out var id) ? id : null;
            var erasedBy = parse.GetValue(by) is { Length: > 0 } name ? name : Environment.UserName;
            var run = parse.GetValue(yes);
            ErasureResult result;
            if (customerId is null)
            {
                var erasure = services.GetRequiredService<NumberErasure>();
                result = run ? await erasure.RunAsync(phoneNumberId, erasedBy, cancellationToken) : await erasure.PlanAsync(phoneNumberId, cancellationToken);
            }
            else
            {
                var erasure = services.GetRequiredService<CustomerErasure>();
                result = run
                    ? await erasure.RunAsync(phoneNumberId, customerId, erasedBy, cancellationToken)
                    : await erasure.PlanAsync(phoneNumberId, customerId, cancellationToken);
            }
            return Report(host, phoneNumberId, customerId, result, parse.GetValue(json));
        }, cancellationToken));
        return command;
    }

    private static int Report(CliHost host, string phoneNumberId, string? customerId, ErasureResult result, bool json)
    {
        if (result.Outcome == ErasureOutcome.UnknownNumber)
        {
            host.Error.WriteLine($"error: nothing is stored of number {phoneNumberId}");
            return ExitCodes.RejectedOrUsage;
        }
        if (result.Outcome == ErasureOutcome.UnknownCustomer)
        {
            host.Error.WriteLine($"error: nothing is stored of customer {customerId} of number {phoneNumberId}");
            return ExitCodes.RejectedOrUsage;
        }
        var counts = result.Counts;
        var record = result.Record;
        var erased = result.Outcome == ErasureOutcome.Erased;
        if (json)
        {
            OperatorOutput.WriteJson(host.Out, new
            {
                phoneNumberId,
                customerId,
                dryRun = !erased,
                state = erased ? record!.State : null,
                resumed = result.Resumed,
                erasedAt = erased ? OperatorOutput.IsoTime(record!.ErasedAt) : null,
                erasedBy = erased ? record!.ErasedBy : null,
                completedAt = erased ? OperatorOutput.IsoTime(record!.CompletedAt) : null,
                erasedIds = erased && customerId is not null ? record!.ErasedIds : null,
                rows = new
                {
                    messages = counts.Messages,
                    contacts = counts.Contacts,
                    historySync = counts.HistorySync,
                    quarantine = counts.Quarantine,
                    numbers = counts.Numbers,
                },
                blobsDeleted = counts.BlobsDeleted,
                blobsRedacted = counts.BlobsRedacted,
                queueMessages = counts.QueueMessages,
            });
            return ExitCodes.Success;
        }
        var what = customerId is null ? $"number {phoneNumberId}" : $"customer {customerId} of number {phoneNumberId}";
        var blobs = customerId is null ? $"blobs deleted {counts.BlobsDeleted}" : $"blobs redacted {counts.BlobsRedacted}";
        var queued = customerId is null ? $", queue messages {counts.QueueMessages?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}" : "";
        var line = $"rows: messages {counts.Messages}, contacts {counts.Contacts}, history sync {counts.HistorySync}, quarantine {counts.Quarantine}, "
                   + $"numbers {counts.Numbers}; {blobs}{queued}";
        if (!erased)
        {
            host.Out.WriteLine($"would erase {what}: {line}");
            host.Out.WriteLine("Nothing was deleted. Re-run with --yes to erase.");
            return ExitCodes.Success;
        }
        host.Out.WriteLine($"erased {what}{(result.Resumed ? " (resumed)" : "")}: {line}");
        host.Out.WriteLine(
            $"recorded: erased at {OperatorOutput.IsoTime(record!.ErasedAt)} by {record.ErasedBy}, completed {OperatorOutput.IsoTime(record.CompletedAt)}");
        return ExitCodes.Success;
    }
}
