using System.CommandLine;
using Coexistence.Queries;
using Coexistence.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence show chats|messages|contacts|history|number &lt;phone_number_id&gt; [&lt;chat_id&gt;] [--json]</c>:
/// what the pipeline stored for one business number, as a table or, with <c>--json</c>, in the view
/// shapes of <see cref="ViewJson"/>.
/// </summary>
internal static class ShowCommand
{
    public static Command Create(SharedOptions shared, CliHost host)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print the JSON view instead of a table (docs/cli.md lists the shapes).",
            Recursive = true,
        };
        var show = new Command("show", "Show what is stored for one business phone number.") { json };

        show.Add(Subcommand("chats", "Chats, most recent activity first.", null,
            (views, number, _, ct) => views.ChatsAsync(number, ct)));
        var chatId = ChatIdArgument();
        show.Add(Subcommand("messages", "Messages of one chat, oldest first.", chatId,
            (views, number, chat, ct) => views.MessagesAsync(number, chat!, ct)));
        show.Add(Subcommand("contacts", "Current contacts, ordered by number.", null,
            (views, number, _, ct) => views.ContactsAsync(number, ct)));
        show.Add(Subcommand("history", "The state of the history sync.", null,
            (views, number, _, ct) => views.HistoryAsync(number, ct)));
        show.Add(Subcommand("number", "The number: WABA, display number, connection, lifecycle events, request window.", null,
            (views, number, _, ct) => views.NumberAsync(number, ct)));
        return show;

        Command Subcommand(string name, string description, Argument<string>? chatIdArgument,
            Func<ConversationPrinter, string, string?, CancellationToken, Task> print)
        {
            var phoneNumberId = PhoneNumberIdArgument.Create();
            var command = new Command(name, description) { phoneNumberId };
            if (chatIdArgument is not null) command.Add(chatIdArgument);
            command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async services =>
            {
                var chat = chatIdArgument is null ? null : NormalizedChatId(parse.GetRequiredValue(chatIdArgument));
                var printer = new ConversationPrinter(services.GetRequiredService<ConversationQueries>(), host.Out, parse.GetValue(json));
                await print(printer, parse.GetRequiredValue(phoneNumberId), chat, cancellationToken);
                return ExitCodes.Success;
            }, cancellationToken));
            return command;
        }
    }

    private static Argument<string> ChatIdArgument()
    {
        var argument = new Argument<string>("chat_id") { Description = "The customer's number ('+', spaces and dashes are ignored), or the business-scoped user id of a customer known only by it." };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!ChatIds.TryNormalize(value, out _))
                result.AddError(
                    $"Invalid chat_id '{value}': it must be a phone number (up to {PhoneNumbers.MaxDigits} digits, optionally with '+', spaces or dashes) "
                    + "or a business-scoped user id (CC.xxx).");
        });
        return argument;
    }

    private static string NormalizedChatId(string raw) => ChatIds.TryNormalize(raw, out var chatId) ? chatId : raw;
}
