using System.Globalization;
using Coexistence.Queries;

namespace Coexistence.Cli;

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
            table.Add(FormatTime(m.Timestamp), m.Direction, m.Type, StatusOf(m), m.Source, Content(m));
        table.WriteTo(output);
    }

    public async Task ContactsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var contacts = await queries.GetContactsAsync(phoneNumberId, cancellationToken);
        if (json) { output.WriteLine(ViewJson.Serialize(contacts)); return; }
        if (contacts.Count == 0) { output.WriteLine($"No contacts stored for {phoneNumberId}."); return; }
        var table = new TextTable("PHONE NUMBER", "FULL NAME", "FIRST NAME");
        foreach (var c in contacts)
            table.Add(c.PhoneNumber ?? c.UserId ?? "-", OneLine(c.FullName) ?? "-", OneLine(c.FirstName) ?? "-");
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
    /// <summary>The live status when one arrived (a failure with its error code), else history's.</summary>
    internal static string StatusOf(MessageView m) => m.Delivery switch
    {
        { Error.Code: { } code } d => $"{d.Status} ({code.ToString(CultureInfo.InvariantCulture)})",
        { } d => d.Status,
        null => m.Status ?? "-",
    };

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
