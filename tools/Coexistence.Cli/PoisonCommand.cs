using System.CommandLine;
using System.Globalization;
using Azure.Messaging.ServiceBus;
using Coexistence.Operations;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence poison list|redrive</c>: queue messages that could never be processed, with their
/// reasons, and putting them back after a fix. Storage-queue poison queues by default; the Service Bus
/// dead-letter queues with <c>--servicebus &lt;namespace&gt;</c>. The work is in
/// <see cref="PoisonQueueOperations"/> and <see cref="ServiceBusDeadLetters"/>.
/// </summary>
internal static class PoisonCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var kind = KindOption();
        var serviceBus = new Option<string?>("--servicebus")
        {
            Description = "Work on the dead-letter queues of this Service Bus namespace (name or host name), "
                + "with your Entra ID identity, instead of the Storage poison queues.",
            HelpName = "namespace",
            Recursive = true,
        };
        var poison = new Command("poison", "List and re-drive queue messages that could never be processed.") { kind, serviceBus };
        poison.Add(List(shared, host, kind, serviceBus));
        poison.Add(Redrive(shared, host, kind, serviceBus));
        return poison;
    }

    internal static Option<string?> KindOption()
    {
        var kind = new Option<string?>("--kind") { Description = "Only this queue: history, contacts, echoes or messages.", Recursive = true };
        kind.AcceptOnlyFromAmong("history", "contacts", "echoes", "messages", "accounts");
        return kind;
    }

    private static Command List(SharedOptions shared, CliHost host, Option<string?> kind, Option<string?> serviceBus)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table (docs/cli.md)." };
        var command = new Command("list", "List the poison (or dead-lettered) messages with their reasons.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var kindValue = OperatorOutput.ParseKind(parse.GetValue(kind));
            if (parse.GetValue(serviceBus) is { Length: > 0 } ns)
                return await RunServiceBusAsync(shared, host, parse, ns, async deadLetters =>
                {
                    using var progress = OperatorOutput.Progress(host, "peeking dead-letter queues");
                    var messages = await deadLetters.ListAsync(kindValue, progress, cancellationToken);
                    progress.Dispose();
                    PrintDeadLetters(host.Out, messages, parse.GetValue(json));
                    return ExitCodes.Success;
                });
            return await shared.RunAgainstStorageAsync(parse, async services =>
            {
                using var progress = OperatorOutput.Progress(host, "reading poison queues");
                var messages = await services.GetRequiredService<PoisonQueueOperations>().ListAsync(kindValue, progress, cancellationToken);
                progress.Dispose();
                PrintPoison(host.Out, messages, parse.GetValue(json));
                return ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }

    private static Command Redrive(SharedOptions shared, CliHost host, Option<string?> kind, Option<string?> serviceBus)
    {
        var all = new Option<bool>("--all") { Description = "Every poison message (of --kind, when given)." };
        var id = new Option<string?>("--id") { Description = "The change message with this change id (as `poison list` prints it).", HelpName = "changeId" };
        var filter = new Option<string[]>("--filter")
        {
            Description = "Only messages with pnid=<phone_number_id> or webhook=<webhookId>; repeatable (all must match).",
            HelpName = "key=value",
            AllowMultipleArgumentsPerToken = false,
        };
        var noDrain = new Option<bool>("--no-drain")
        {
            Description = "Only move the messages back to their queue; the running Function App processes them (Storage queues only).",
        };
        var command = new Command("redrive",
            "Move poison (or dead-lettered) messages back to their queue and process them again.") { all, id, filter, noDrain };
        command.Validators.Add(result =>
        {
            var filters = result.GetValue(filter) ?? [];
            var ways = (result.GetValue(all) ? 1 : 0) + (result.GetValue(id) is not null ? 1 : 0) + (filters.Length > 0 ? 1 : 0);
            if (ways == 0) result.AddError("Say which messages: --all, --id <changeId> or --filter <key>=<value>.");
            if (result.GetValue(all) && ways > 1) result.AddError("--all takes every message; it does not combine with --id or --filter.");
            foreach (var f in filters)
                if (ParseFilter(f) is null)
                    result.AddError($"Invalid filter '{f}': use pnid=<phone_number_id> or webhook=<webhookId>.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var selection = new PoisonSelection(OperatorOutput.ParseKind(parse.GetValue(kind)), parse.GetValue(id));
            foreach (var f in parse.GetValue(filter) ?? [])
            {
                var (key, value) = ParseFilter(f)!.Value;
                selection = key == "pnid" ? selection with { PhoneNumberId = value } : selection with { WebhookId = value };
            }

            if (parse.GetValue(serviceBus) is { Length: > 0 } ns)
                return await RunServiceBusAsync(shared, host, parse, ns, async deadLetters =>
                {
                    using var progress = OperatorOutput.Progress(host, "re-driving");
                    var summary = await deadLetters.RedriveAsync(selection, progress, cancellationToken);
                    progress.Dispose();
                    host.Out.WriteLine($"summary: redriven {summary.Redriven}, left {summary.Left}");
                    return selection.ChangeId is not null && summary.Redriven == 0 ? ExitCodes.RejectedOrUsage : ExitCodes.Success;
                });

            return await shared.RunAgainstStorageAsync(parse, async services =>
            {
                using var progress = OperatorOutput.Progress(host, "re-driving");
                var summary = await services.GetRequiredService<PoisonQueueOperations>().RedriveAsync(selection, !parse.GetValue(noDrain), progress,
                    cancellationToken);
                progress.Dispose();
                foreach (var result in summary.Results.Where(r => r.Outcome == Processing.ProcessingOutcome.Rejected))
                {
                    var what = result.Kind is { } k ? $"{k.ToField()} change for {result.PhoneNumberId}" : "queue message";
                    host.Out.WriteLine($"poisoned {what}: {result.Reason}");
                }
                host.Out.WriteLine(summary.Drained
                    ? $"summary: redriven {summary.Redriven}, processed {summary.Processed}, poisoned {summary.PoisonedAgain}"
                    : $"summary: redriven {summary.Redriven}, processed -, poisoned -");
                if (selection.ChangeId is not null && summary.Redriven == 0) return ExitCodes.RejectedOrUsage;
                return summary.PoisonedAgain > 0 ? ExitCodes.RejectedOrUsage : ExitCodes.Success;
            }, cancellationToken);
        });
        return command;
    }

    internal static (string Key, string Value)? ParseFilter(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2 || parts[1].Length == 0) return null;
        return parts[0] switch
        {
            "pnid" when PhoneNumbers.IsValidPhoneNumberId(parts[1]) => ("pnid", parts[1]),
            "webhook" when parts[1].All(char.IsAsciiHexDigitLower) => ("webhook", parts[1]),
            _ => null,
        };
    }

    /// <summary>Opens the namespace with the Entra ID identity and turns Service Bus failures into exit code 1.</summary>
    private static async Task<int> RunServiceBusAsync(SharedOptions shared, CliHost host, ParseResult parse, string serviceBusNamespace,
        Func<ServiceBusDeadLetters, Task<int>> work)
    {
        var fullyQualified = ServiceBusDeadLetters.FullyQualified(serviceBusNamespace);
        try
        {
            await using var client = new ServiceBusClient(fullyQualified, SharedOptions.Credential);
            return await work(new ServiceBusDeadLetters(client, host.StorageNames));
        }
        catch (OperationCanceledException)
        {
            host.Error.WriteLine("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is ServiceBusException or UnauthorizedAccessException or Azure.Identity.AuthenticationFailedException
            or Azure.RequestFailedException)
        {
            return shared.Fail(parse, $"service bus namespace {fullyQualified} failed: {SharedOptions.Describe(e)}", e);
        }
    }

    private static void PrintPoison(TextWriter output, IReadOnlyList<PoisonMessage> messages, bool json)
    {
        if (json)
        {
            OperatorOutput.WriteJson(output, messages.Select(m => new
            {
                queue = OperatorOutput.ShortKind(m.Kind),
                changeId = m.ChangeId,
                phoneNumberId = m.PhoneNumberId,
                webhookId = m.WebhookId,
                eventId = m.EventId,
                receivedAt = OperatorOutput.IsoTime(m.ReceivedAt),
                poisonedAt = OperatorOutput.IsoTime(m.PoisonedAt),
                reason = m.Reason,
            }));
            return;
        }
        if (messages.Count == 0) { output.WriteLine("No poison messages."); return; }
        var table = new TextTable("QUEUE", "CHANGE ID", "PHONE NUMBER ID", "RECEIVED (UTC)", "POISONED (UTC)", "REASON");
        foreach (var m in messages)
            table.Add(OperatorOutput.ShortKind(m.Kind), m.ChangeId, m.PhoneNumberId ?? "-", OperatorOutput.TableTime(m.ReceivedAt),
                OperatorOutput.TableTime(m.PoisonedAt),
                m.Reason is null ? "(none recorded: failed repeatedly, see the logs)" : OperatorOutput.OneLine(m.Reason));
        table.WriteTo(output);
    }

    private static void PrintDeadLetters(TextWriter output, IReadOnlyList<DeadLetteredMessage> messages, bool json)
    {
        if (json)
        {
            OperatorOutput.WriteJson(output, messages.Select(m => new
            {
                queue = OperatorOutput.ShortKind(m.Kind),
                changeId = m.ChangeId,
                sequenceNumber = m.SequenceNumber,
                phoneNumberId = m.PhoneNumberId,
                webhookId = m.WebhookId,
                receivedAt = OperatorOutput.IsoTime(m.ReceivedAt),
                enqueuedAt = OperatorOutput.IsoTime(m.EnqueuedAt),
                deliveryCount = m.DeliveryCount,
                reason = m.Reason,
                errorDescription = m.ErrorDescription,
            }));
            return;
        }
        if (messages.Count == 0) { output.WriteLine("No dead-lettered messages."); return; }
        var table = new TextTable("QUEUE", "CHANGE ID", "PHONE NUMBER ID", "ENQUEUED (UTC)", "DELIVERIES", "REASON");
        foreach (var m in messages)
            table.Add(OperatorOutput.ShortKind(m.Kind), m.ChangeId, m.PhoneNumberId ?? "-", OperatorOutput.TableTime(m.EnqueuedAt),
                m.DeliveryCount.ToString(CultureInfo.InvariantCulture),
                OperatorOutput.OneLine(m.ErrorDescription is null ? m.Reason : $"{m.Reason}: {m.ErrorDescription}"));
        table.WriteTo(output);
    }
}
