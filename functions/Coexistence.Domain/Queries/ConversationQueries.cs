using Azure.Data.Tables;
using Coexistence.Storage;

namespace Coexistence.Queries;

/// <summary>
/// Reads what the pipeline stored for one business number, in the public view shapes. Used by
/// <c>coexistence show</c> (and the read API). A number nothing was stored for reads as empty.
/// </summary>
public sealed class ConversationQueries(StorageClients storage, HistorySyncStore historySync)
{
    /// <summary>Chats, most recent activity first (ties by chat id).</summary>
    public async Task<IReadOnlyList<ChatView>> GetChatsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var chats = new List<ChatView>();
        await foreach (var row in storage.Table(storage.Names.ChatsTable).QueryAsync<TableEntity>(PartitionFilter(phoneNumberId), cancellationToken: cancellationToken))
            chats.Add(new ChatView(row.RowKey, row.GetInt64("LastMessageAt") ?? 0, row.GetInt64("MessageCount") ?? 0));
        return chats.OrderByDescending(c => c.LastMessageAt).ThenBy(c => c.ChatId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Messages of one chat, oldest first (ties by message id).</summary>
    public async Task<IReadOnlyList<MessageView>> GetMessagesAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken)
    {
        var filter = $"{PartitionFilter(phoneNumberId)} and RowKey ge {TableBatches.Quote(MessageRows.ChatRangeStart(chatId))} and RowKey lt {TableBatches.Quote(MessageRows.ChatRangeEnd(chatId))}";
        var messages = new List<MessageView>();
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            messages.Add(ToView(row));
        return messages.OrderBy(m => m.Timestamp).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>One message by its wamid, or null.</summary>
    public async Task<MessageView?> GetMessageAsync(string phoneNumberId, string messageId, CancellationToken cancellationToken)
    {
        var table = storage.Table(storage.Names.MessagesTable);
        var index = await TableBatches.GetOrNullAsync(table, phoneNumberId, MessageRows.IndexRowKey(messageId), cancellationToken);
        if (index?.GetString("ChatRowKey") is not { } chatRowKey) return null;
        var row = await TableBatches.GetOrNullAsync(table, phoneNumberId, chatRowKey, cancellationToken);
        return row is null ? null : ToView(row);
    }

    /// <summary>Current contacts ordered by number; removed ones only when asked for.</summary>
    public async Task<IReadOnlyList<ContactView>> GetContactsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactView>();
        await foreach (var row in storage.Table(storage.Names.ContactsTable).QueryAsync<TableEntity>(PartitionFilter(phoneNumberId), cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Removed") == true) continue;
            contacts.Add(new ContactView(row.RowKey, row.GetString("FullName"), row.GetString("FirstName")));
        }
        return contacts.OrderBy(c => c.PhoneNumber, StringComparer.Ordinal).ToList();
    }

    public async Task<HistoryStatusView> GetHistoryStatusAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var status = await historySync.GetStatusAsync(phoneNumberId, cancellationToken);
        var state = status.State switch
        {
            HistorySyncState.InProgress => "in_progress",
            HistorySyncState.Completed => "completed",
            HistorySyncState.Declined => "declined",
            _ => "not_started",
        };
        return new HistoryStatusView(state, status.Progress, status.Chunks,
            status.Error is { } e ? new HistoryErrorView(e.Code, e.Message) : null);
    }

    /// <summary>
    /// A stored chat row as the public view: a follow-up's type and media replace a placeholder's,
    /// the latest edit's text replaces the original's.
    /// </summary>
    internal static MessageView ToView(TableEntity row)
    {
        var type = row.GetString("FollowUpType") ?? row.GetString("Type") ?? "";
        var media = MessageRows.GetMedia(row, "FollowUpMedia") ?? MessageRows.GetMedia(row, "Media");
        var text = row.GetString("Text");
        var edited = row.GetString("EditId") is not null;
        if (edited)
        {
            if (row.GetString("EditedType") == "text") text = row.GetString("EditedText");
            if (row.GetString("EditedCaption") is { Length: > 0 } caption && media is not null) media = media with { Caption = caption };
        }
        return new MessageView(
            row.GetString("MessageId") ?? "",
            row.GetString("ChatId") ?? "",
            row.GetString("Direction") ?? "inbound",
            row.GetString("From") ?? "",
            row.GetString("To") ?? "",
            row.GetInt64("SentAt") ?? 0,
            type,
            row.GetString("Status"),
            row.GetString("Source") ?? "history",
            text,
            media is null ? null : new MediaView(media.Id, media.MimeType, media.Sha256, media.Caption),
            row.GetBoolean("Revoked") == true,
            edited);
    }

    private static string PartitionFilter(string phoneNumberId) => $"PartitionKey eq {TableBatches.Quote(phoneNumberId)}";
}
