using System.CommandLine;
using Coexistence.Operations;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence recount [&lt;phone_number_id&gt;]</c>: recomputes chat summaries from the message rows, for one
/// number or every number <c>status</c> lists (<see cref="SummaryRecount"/>). The repair
/// for summaries that writes cannot keep by counting: rows or summaries deleted by hand.
/// </summary>
internal static class RecountCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var number = new Argument<string?>("phone_number_id")
        {
            Description = "The business number's phone_number_id (digits only); every number when left out.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        number.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !PhoneNumbers.IsValidPhoneNumberId(value))
                result.AddError($"Invalid phone_number_id '{value}': it must be 1 to {PhoneNumbers.MaxDigits} digits.");
        });
        var command = new Command("recount", "Recompute chat summaries (message counts, last message times) from the stored messages.") { number };
        command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
        {
            var numbers = parse.GetValue(number) is { } one
                ? [one]
                : await services.GetRequiredService<SyncStatusReport>().NumbersAsync(cancellationToken);
            var recounts = services.GetRequiredService<SummaryRecount>();
            int chats = 0, corrected = 0;
            foreach (var phoneNumberId in numbers)
            {
                var recount = await recounts.RunAsync(phoneNumberId, cancellationToken);
                host.Out.WriteLine($"{phoneNumberId}: chats {recount.Chats}, corrected {recount.Corrected}");
                chats += recount.Chats;
                corrected += recount.Corrected;
            }
            host.Out.WriteLine($"summary: numbers {numbers.Count}, chats {chats}, corrected {corrected}");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
