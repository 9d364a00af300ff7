using System.CommandLine;
using System.Globalization;
using Coexistence.Queries;
using Coexistence.Webhooks;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence show chats|messages|contacts|history &lt;phone_number_id&gt; [&lt;chat_id&gt;] [--json]</c>:
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
        return show;

        Command Subcommand(string name, string description, Argument<string>? chatIdArgument,
            Func<ConversationPrinter, string, string?, CancellationToken, Task> print)
        {
            var phoneNumberId = PhoneNumberIdArgument();
            var command = new Command(name, description) { phoneNumberId };
            if (chatIdArgument is not null) command.Add(chatIdArgument);
            command.SetAction((parse, cancellationToken) => shared.RunAgainstStorageAsync(parse, async storage =>
            {
                var chat = chatIdArgument is null ? null : NormalizedChatId(parse.GetRequiredValue(chatIdArgument));
                var printer = new ConversationPrinter(new Pipeline(storage).Queries, host.Out, parse.GetValue(json));
                await print(printer, parse.GetRequiredValue(phoneNumberId), chat, cancellationToken);
                return ExitCodes.Success;
            }, cancellationToken));
            return command;
        }
    }

    private static Argument<string> PhoneNumberIdArgument()
    {
        var argument = new Argument<string>("phone_number_id") { Description = "The business number's phone_number_id (digits only)." };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!PhoneNumbers.IsValidPhoneNumberId(value))
                result.AddError($"Invalid phone_number_id '{value}': it must be 1 to {PhoneNumbers.MaxDigits} digits.");
        });
        return argument;
    }

    private static Argument<string> ChatIdArgument()
    {
        var argument = new Argument<string>("chat_id") { Description = "The customer's number; '+', spaces and dashes are ignored." };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!PhoneNumbers.TryNormalize(value, out _))
                result.AddError($"Invalid chat_id '{value}': it must be a phone number (up to {PhoneNumbers.MaxDigits} digits, optionally with '+', spaces or dashes).");
        });
        return argument;
    }

    private static string NormalizedChatId(string raw) => PhoneNumbers.TryNormalize(raw, out var digits) ? digits : raw;
}

/// <summary>Prints the query views for one business number, as aligned columns or as <see cref="ViewJson"/>.</summary>
internal sealed class ConversationPrinter(ConversationQueries queries, TextWriter output, bool json)
{
    public async Task ChatsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var chats = await queries.GetChatsAsync(phoneNumberId, cancellationToken);
        if (json) { output.WriteLine(ViewJson.Serialize(chats)); return; }
        if (chats.Count == 0) { output.WriteLine($"No chats stored for {phoneNumberId}."); return; }
        var table = new TextTable("CHAT", "LAST MESSAGE (UTC)", "MESSAGES");
        foreach (var chat in chats)
            table.Add(chat.ChatId, FormatTime(chat.LastMessageAt), chat.MessageCount.ToString(CultureInfo.InvariantCulture));
        table.WriteTo(output);
    }

    public async Task MessagesAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken)
    {
        var messages = await queries.GetMessagesAsync(phoneNumberId, chatId, cancellationToken);
        if (json) { output.WriteLine(ViewJson.Serialize(messages)); return; }
        if (messages.Count == 0) { output.WriteLine($"No messages stored for chat {chatId} of {phoneNumberId}."); return; }
        var table = new TextTable("TIME (UTC)", "DIRECTION", "TYPE", "STATUS", "SOURCE", "CONTENT");
        foreach (var m in messages)
            table.Add(FormatTime(m.Timestamp), m.Direction, m.Type, m.Status ?? "-", m.Source, Content(m));
        table.WriteTo(output);
    }

    public async Task ContactsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var contacts = await queries.GetContactsAsync(phoneNumberId, cancellationToken);
        if (json) { output.WriteLine(ViewJson.Serialize(contacts)); return; }
        if (contacts.Count == 0) { output.WriteLine($"No contacts stored for {phoneNumberId}."); return; }
        var table = new TextTable("PHONE NUMBER", "FULL NAME", "FIRST NAME");
        foreach (var c in contacts)
            table.Add(c.PhoneNumber, OneLine(c.FullName) ?? "-", OneLine(c.FirstName) ?? "-");
        table.WriteTo(output);
    }

    public async Task HistoryAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var status = await queries.GetHistoryStatusAsync(phoneNumberId, cancellationToken);
        if (json) { output.WriteLine(ViewJson.Serialize(status)); return; }
        var table = new TextTable("FIELD", "VALUE") { ShowHeader = false };
        table.Add("state", status.State);
        table.Add("progress", status.Progress.ToString(CultureInfo.InvariantCulture));
        table.Add("chunks", status.Chunks.ToString(CultureInfo.InvariantCulture));
        table.Add("error", status.Error is { } e ? $"{e.Code?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {OneLine(e.Message) ?? "-"}" : "-");
        table.WriteTo(output);
    }

    /// <summary>Unix seconds as <c>yyyy-MM-dd HH:mm:ss</c> UTC; "-" when unknown (0).</summary>
    internal static string FormatTime(long unixSeconds) =>
        unixSeconds <= 0 ? "-" : DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Text, or the media's caption; marked when edited or deleted in the app.</summary>
    internal static string Content(MessageView m)
    {
        var body = OneLine(m.Text) ?? OneLine(m.Media?.Caption) ?? "";
        var marks = (m.Revoked ? "(deleted) " : "") + (m.Edited ? "(edited) " : "");
        return (marks + body).TrimEnd();
    }

    /// <summary>Line breaks and other control characters become spaces so that one row stays one line.</summary>
    private static string? OneLine(string? text) =>
        text is null ? null : string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
}

/// <summary>Plain columns separated by two spaces, padded to the widest cell; the last column is not padded.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public bool ShowHeader { get; init; } = true;

    public void Add(params string[] cells) => rows.Add(cells);

    public void WriteTo(TextWriter output)
    {
        var all = ShowHeader ? rows.Prepend(headers).ToList() : rows;
        var widths = headers.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
            output.WriteLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
    }
}
