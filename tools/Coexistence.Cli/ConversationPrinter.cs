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
        var table = new TextTable("TIME (UTC)", "DIRECTION", "TYPE", "STATUS", "SOURCE", "MEDIA", "CONTENT");
        foreach (var m in messages)
            table.Add(FormatTime(m.Timestamp), m.Direction, m.Type, StatusOf(m), m.Source, m.Media?.Archive?.State ?? "-", Content(m));
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
        table.Add("phases", status.Phases.Count == 0 ? "-" : string.Join(", ", status.Phases.Select(p =>
            FormattableString.Invariant($"{(p.Phase is { } n ? n.ToString(CultureInfo.InvariantCulture) : "?")}: {p.Chunks} chunk(s)")
            + (p.FirstChunkOrder is { } first ? FormattableString.Invariant($" ({first}-{p.LastChunkOrder})") : ""))));
        table.Add("missing", status.MissingChunks.Count == 0 ? "-" : string.Join(", ", status.MissingChunks.Select(m =>
            (m.Phase is { } n ? FormattableString.Invariant($"phase {n} ") : "") + FormattableString.Invariant($"chunk {m.ChunkOrder}"))));
        table.Add("placeholders", status.Placeholders is { } p
            ? FormattableString.Invariant($"{p.AwaitingMedia} awaiting media, {p.TooOldForMedia} too old for media")
            : "-");
        table.Add("error", status.Error is { } e ? $"{e.Code?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {OneLine(e.Message) ?? "-"}" : "-");
        table.WriteTo(output);
    }

    /// <summary>The number resource; JSON <c>null</c> or a line saying so when nothing is known of it.</summary>
    public async Task NumberAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var number = await queries.GetNumberAsync(phoneNumberId, cancellationToken);
        if (json) { output.WriteLine(ViewJson.Serialize(number)); return; }
        if (number is null) { output.WriteLine($"Nothing is known of {phoneNumberId}: no webhook of it was processed and no account event names it."); return; }
        var table = new TextTable("FIELD", "VALUE") { ShowHeader = false };
        table.Add("waba", number.WabaId ?? "-");
        table.Add("display number", number.DisplayPhoneNumber ?? "-");
        table.Add("first seen (UTC)", FormatTime(number.FirstSeenAt ?? 0));
        table.Add("last seen (UTC)", FormatTime(number.LastSeenAt ?? 0));
        table.Add("connection", number.Connection);
        table.Add("request window", WindowOf(number.RequestWindow));
        table.WriteTo(output);
        if (number.Events.Count == 0) return;
        output.WriteLine();
        var events = new TextTable("OCCURRED (UTC)", "EVENT", "REASON", "INITIATED BY");
        foreach (var e in number.Events)
            events.Add(FormatTime(e.OccurredAt), OneLine(e.Event) ?? "-", OneLine(e.Reason) ?? "-", OneLine(e.InitiatedBy) ?? "-");
        events.WriteTo(output);
    }

    /// <summary>The request window in a few words: <c>open until ... (pending: history, contacts)</c>, <c>closed ...</c>, or "-".</summary>
    internal static string WindowOf(RequestWindowView? window) => window switch
    {
        null => "-",
        { Open: true } w => $"open until {FormatTime(w.ClosesAt)}" + (w.Pending.Count > 0 ? $" (pending: {string.Join(", ", w.Pending)})" : ""),
        var w => $"closed {FormatTime(w.ClosesAt)}",
    };

    /// <summary>Unix seconds as <c>yyyy-MM-dd HH:mm:ss</c> UTC; "-" when unknown (0).</summary>
    internal static string FormatTime(long unixSeconds) =>
        unixSeconds <= 0 ? "-" : DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The live status when one arrived (a failure with its error code), else history's.</summary>
    internal static string StatusOf(MessageView m) => m.Delivery switch
    {
        { Error.Code: { } code } d => $"{d.Status} ({code.ToString(CultureInfo.InvariantCulture)})",
        { } d => d.Status,
        null => m.Status ?? "-",
    };

    /// <summary>
    /// One line per message (docs/cli.md, "show messages"): marks (deleted, edited, forwarded, the quoted message), then
    /// the text or a summary of the type's content (<c>📍 Philz Coffee</c>, <c>👤 Pablo Morales</c>, ...), then the
    /// reactions of each side.
    /// </summary>
    internal static string Content(MessageView m)
    {
        var body = OneLine(m.Text) ?? Summary(m) ?? "";
        var marks = (m.Revoked ? "(deleted) " : "") + (m.Edited ? "(edited) " : "") + (m.Forwarded ? "(forwarded) " : "")
                    + (m.ReplyTo is { Id: { } quoted } ? $"↩ reply to {quoted} " : "");
        var reactions = m.Reactions is { } r
            ? " [" + string.Join(", ", new[] { r.Customer is { } c ? $"{c.Emoji} customer" : null, r.Business is { } b ? $"{b.Emoji} business" : null }
                .OfType<string>()) + "]"
            : "";
        return (marks + body).TrimEnd() + reactions;
    }

    /// <summary>What a message without text shows: its media's caption or file name, or its content in a few words.</summary>
    private static string? Summary(MessageView m) => m.Content switch
    {
        LocationView l => "📍 " + (OneLine(l.Name) ?? string.Create(CultureInfo.InvariantCulture, $"{l.Latitude}, {l.Longitude}")),
        IReadOnlyList<ContactCardView> cards => "👤 " + string.Join(", ", cards.Select(c => OneLine(c.FormattedName ?? c.FirstName) ?? "?")),
        InteractiveView i => "☑ " + (OneLine(i.Title ?? i.Name ?? i.Body) ?? i.Type ?? "?"),
        ButtonView b => "☑ " + (OneLine(b.Text ?? b.Payload) ?? "?"),
        OrderView o => $"🛒 {o.Items.Sum(i => i.Quantity ?? 1).ToString(CultureInfo.InvariantCulture)} item(s)" + (OneLine(o.Text) is { } t ? " " + t : ""),
        SystemView s => OneLine(s.Body),
        TemplateView t => "📄 template " + (OneLine(t.Name) ?? "?"),
        RawContentView => $"({m.Type})",
        _ when m.Media is { } media => OneLine(media.Caption) ?? (media.Filename is { } f ? "📎 " + OneLine(f) : null),
        _ when m.Errors is [var e, ..] => $"⚠ {e.Code?.ToString(CultureInfo.InvariantCulture) ?? "-"} {OneLine(e.Title)}".TrimEnd(),
        _ => null,
    };

    /// <summary>Line breaks and other control characters become spaces so that one row stays one line.</summary>
    private static string? OneLine(string? text) =>
        text is null ? null : string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
}
