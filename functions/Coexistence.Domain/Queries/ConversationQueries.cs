using System.Globalization;
using Azure.Data.Tables;
using Coexistence.Media;
using Coexistence.Model;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Queries;

/// <summary>
/// Reads what the pipeline stored for one business number, in the public view shapes. Used by
/// <c>coexistence show</c> (and the read API). A number nothing was stored for reads as empty.
/// </summary>
public sealed class ConversationQueries
{
    private readonly StorageClients storage;
    private readonly StatusStore statuses;
    private readonly HistorySyncStore historySync;

    private readonly NumberRegistry registry;
    private readonly TimeProvider time;
    private readonly MediaOptions? media;

    internal ConversationQueries(StorageClients storage, StatusStore statuses, HistorySyncStore historySync, NumberRegistry registry, TimeProvider time,
        MediaOptions? media = null) =>
        (this.storage, this.statuses, this.historySync, this.registry, this.time, this.media) = (storage, statuses, historySync, registry, time, media);

    /// <summary>Whether the number's media are archived (docs/media.md): then a media file not archived yet shows as <c>missing</c>.</summary>
    private bool ArchivesMedia(string phoneNumberId) => media?.Archives(phoneNumberId) == true;

    /// <summary>Chats with messages, most recent activity first (ties by chat id).</summary>
    public async Task<IReadOnlyList<ChatView>> GetChatsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var chats = new List<ChatView>();
        var filter = MessagesTable.SummaryRowsFilter(phoneNumberId);
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var summary = ChatSummary.FromEntity(row);
            // An empty summary is a chat its customer left by changing number or user id (ChatSummary.Superseded).
            if (summary.MessageCount > 0)
                chats.Add(new ChatView(summary.ChatId, summary.LastMessageAt, summary.MessageCount,
                    CustomerViewOf(ChatCustomer.View(summary.ChatId, summary.Customer))));
        }
        return chats.OrderByDescending(c => c.LastMessageAt).ThenBy(c => c.ChatId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Messages of one chat, oldest first (ties by message id).</summary>
    public async Task<IReadOnlyList<MessageView>> GetMessagesAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken)
    {
        var filter = MessagesTable.ChatRowsFilter(phoneNumberId, chatId);
        var rows = new List<TableEntity>();
        await foreach (var row in storage.Table(storage.Names.MessagesTable).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            rows.Add(row);
        var deliveries = await DeliveriesAsync(phoneNumberId, rows, cancellationToken);
        var archives = ArchivesMedia(phoneNumberId);
        return rows.Select(r => ToView(r, deliveries, archives)).OrderBy(m => m.Timestamp).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>One message by its wamid, or null.</summary>
    public async Task<MessageView?> GetMessageAsync(string phoneNumberId, string messageId, CancellationToken cancellationToken)
    {
        var row = await ChatRowAsync(phoneNumberId, messageId, cancellationToken);
        return row is null ? null : ToView(row, await DeliveriesAsync(phoneNumberId, [row], cancellationToken), ArchivesMedia(phoneNumberId));
    }

    /// <summary>The chat row of a wamid, through its index row; null when it is not stored. A read: a dangling index is left as it is.</summary>
    private async Task<TableEntity?> ChatRowAsync(string phoneNumberId, string messageId, CancellationToken cancellationToken)
    {
        var table = storage.Table(storage.Names.MessagesTable);
        var index = await TableRows.GetOrNullAsync(table, phoneNumberId, MessagesTable.IndexRowKey(messageId), cancellationToken);
        return index is null || MessagesTable.ChatRowKeyOf(index) is not { } chatRowKey
            ? null
            : await TableRows.GetOrNullAsync(table, phoneNumberId, chatRowKey, cancellationToken);
    }

    /// <summary>
    /// The message's displayed media (a follow-up's, else its own) and its archive state (docs/media.md), and, when it is
    /// archived, its file opened for reading with the content type it was stored with; null when the message is not stored.
    /// </summary>
    public async Task<(MediaArchiveView? Archive, ArchivedMediaFile? File)?> OpenMediaAsync(string phoneNumberId, string messageId,
        CancellationToken cancellationToken)
    {
        if (await ChatRowAsync(phoneNumberId, messageId, cancellationToken) is not { } row) return null;
        var shown = ToView(row, new Dictionary<string, Model.DeliveryState>(), archivesMedia: true).Media;
        if (shown?.Archive is not { State: MediaArchiveView.Archived } archive) return (shown?.Archive, null);
        try
        {
            var blob = storage.Container(storage.Names.MediaContainer).GetBlobClient(MessagesTable.MediaBlobName(phoneNumberId, messageId, shown.Id!));
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
            return (archive, new ArchivedMediaFile(download.Content, download.Details.ContentType ?? shown.MimeType ?? "application/octet-stream",
                download.Details.ContentLength));
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // Named on the row but gone (deleted by the container's lifecycle rule, say): not archived any more.
            return (archive with { State = MediaArchiveView.Missing, FetchedAt = null, Bytes = null }, null);
        }
    }

    /// <summary>
    /// The statuses received for one wamid, stored message or not (docs/data-model.md, "Statuses"); null when none arrived.
    /// </summary>
    public async Task<MessageStatusesView?> GetStatusesAsync(string phoneNumberId, string messageId, CancellationToken cancellationToken)
    {
        var state = await statuses.GetAsync(phoneNumberId, messageId, cancellationToken);
        if (state is null) return null;
        var index = await TableRows.GetOrNullAsync(storage.Table(storage.Names.MessagesTable), phoneNumberId, MessagesTable.IndexRowKey(messageId),
            cancellationToken);
        var recipient = state.Statuses.Select(s => s.RecipientId).Where(r => r is not null).Order(StringComparer.Ordinal).FirstOrDefault();
        var recipientUserId = state.Statuses.Select(s => s.RecipientUserId).Where(r => r is not null).Order(StringComparer.Ordinal).FirstOrDefault();
        var stored = index is not null && MessagesTable.ChatRowKeyOf(index) is not null;
        return new MessageStatusesView(messageId, recipient, recipientUserId, stored, DeliveryView.From(state)!);
    }

    /// <summary>The statuses of the messages the business sent among <paramref name="rows"/> (only those can have any).</summary>
    private Task<IReadOnlyDictionary<string, Model.DeliveryState>> DeliveriesAsync(string phoneNumberId, IEnumerable<TableEntity> rows,
        CancellationToken cancellationToken) =>
        statuses.GetManyAsync(phoneNumberId,
            rows.Where(r => r.GetString(MessagesTable.Columns.Direction) == MessagesTable.DirectionName(Model.Direction.Outbound))
                .Select(r => r.GetString(MessagesTable.Columns.MessageId)).OfType<string>(),
            cancellationToken);

    /// <summary>Current contacts ordered by number; removed ones are not listed.</summary>
    public async Task<IReadOnlyList<ContactView>> GetContactsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactView>();
        await foreach (var row in storage.Table(storage.Names.ContactsTable).QueryAsync<TableEntity>(TableFilters.Partition(phoneNumberId),
                           cancellationToken: cancellationToken))
        {
            if (ContactsTable.IsRemoved(row)) continue;
            contacts.Add(ToContactView(row).ToContactView());
        }
        return contacts.OrderBy(c => c.ListingKey, StringComparer.Ordinal).ToList();
    }

    public async Task<HistoryStatusView> GetHistoryStatusAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        return HistoryStatusView.From(await historySync.GetStatusAsync(phoneNumberId, cancellationToken, withPlaceholders: true));
    }

    /// <summary>
    /// The number as the registry knows it, with its lifecycle events and request window; null when nothing is known of it
    /// (no webhook processed, no event attributed).
    /// </summary>
    public async Task<NumberView?> GetNumberAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var registration = await registry.GetAsync(phoneNumberId, cancellationToken);
        var events = await registry.EventsAsync(phoneNumberId, cancellationToken);
        if (registration is null && events.Count == 0) return null;
        var history = await historySync.GetStatusAsync(phoneNumberId, cancellationToken);
        var contactsReceived = false;
        await foreach (var _ in storage.Table(storage.Names.ContactsTable).QueryAsync<TableEntity>(TableFilters.Partition(phoneNumberId), maxPerPage: 1,
                           select: [nameof(ITableEntity.RowKey)], cancellationToken: cancellationToken))
        {
            contactsReceived = true;
            break;
        }
        var historyReceived = history.State != HistorySyncState.NotStarted;
        return NumberLifecycle.ViewOf(phoneNumberId, registration, events, historyReceived, contactsReceived, time.GetUtcNow());
    }

    // ---- Pages (the read API, docs/api.md). Page sizes are checked by the caller (1..1000). ----

    /// <summary>
    /// A page of chats, most recent activity first (ties by chat id). The Chats partition is read
    /// whole and sorted on every call: one request per 1000 chats.
    /// </summary>
    internal async Task<QueryPage<ChatView>> GetChatsPageAsync(string phoneNumberId, PagePosition from, int size, CancellationToken cancellationToken) =>
        QueryPage<ChatView>.Slice(await GetChatsAsync(phoneNumberId, cancellationToken), from, size, ChatPosition);

    /// <summary>
    /// A page of one chat's messages in RowKey order: by time, ties by the stored message key.
    /// Forwards reads just the page; backwards reads windows of time going back from the position
    /// (an hour, then twice as far each time) until the page is full.
    /// </summary>
    internal async Task<QueryPage<MessageView>> GetMessagesPageAsync(string phoneNumberId, string chatId, PagePosition from, int size,
        CancellationToken cancellationToken)
    {
        var table = storage.Table(storage.Names.MessagesTable);
        List<TableEntity> rows;
        if (from.Direction == PageDirection.After)
        {
            var filter = MessagesTable.ChatRowsFilter(phoneNumberId, chatId) + (from.IsOpenEnd ? "" : $" and RowKey gt {TableFilters.Quote(from.Key)}");
            rows = await ReadAscendingAsync(table, filter, size + 1, keep: null, cancellationToken);
        }
        else
        {
            rows = await ReadMessagesBeforeAsync(table, phoneNumberId, chatId, from, size + 1, cancellationToken);
        }
        var deliveries = await DeliveriesAsync(phoneNumberId, rows, cancellationToken);
        var archives = ArchivesMedia(phoneNumberId);
        return QueryPage<MessageView>.From(rows, from, size, r => r.RowKey, r => ToView(r, deliveries, archives));
    }

    /// <summary>
    /// A page of contacts ordered by number: current ones, or with <paramref name="includeRemoved"/>
    /// removed ones too. Forwards reads about one page; backwards reads every contact before the position.
    /// </summary>
    internal async Task<QueryPage<ContactWithRemovalView>> GetContactsPageAsync(string phoneNumberId, bool includeRemoved, PagePosition from, int size,
        CancellationToken cancellationToken)
    {
        var table = storage.Table(storage.Names.ContactsTable);
        Func<TableEntity, bool>? keep = includeRemoved ? null : row => !ContactsTable.IsRemoved(row);
        var filter = TableFilters.Partition(phoneNumberId);
        if (!from.IsOpenEnd) filter += $" and RowKey {(from.Direction == PageDirection.After ? "gt" : "lt")} {TableFilters.Quote(from.Key)}";
        var rows = from.Direction == PageDirection.After
            ? await ReadAscendingAsync(table, filter, size + 1, keep, cancellationToken)
            : (await ReadAscendingAsync(table, filter, null, keep, cancellationToken)).TakeLast(size + 1).ToList();
        return QueryPage<ContactWithRemovalView>.From(rows, from, size, r => r.RowKey, ToContactView);
    }

    /// <summary>A chat's position: ordinal order of these keys is the listing's order (activity descending, then chat id).</summary>
    internal static string ChatPosition(ChatView chat) =>
        string.Create(CultureInfo.InvariantCulture, $"{long.MaxValue - Math.Max(0, chat.LastMessageAt):D19}|{chat.ChatId}");

    /// <summary>First hour, then doubling: a page of a busy chat costs one or two requests, a quiet one a few more.</summary>
    private const long FirstWindowSeconds = 3600;

    /// <summary>
    /// The last <paramref name="take"/> rows of the chat before the position. Table Storage only
    /// scans upwards, so the rows are read in windows of time ending at the position, each window
    /// twice as long as the one before, until enough rows are found or the chat's start is reached.
    /// </summary>
    private async Task<List<TableEntity>> ReadMessagesBeforeAsync(TableClient table, string phoneNumberId, string chatId, PagePosition from, int take,
        CancellationToken cancellationToken)
    {
        var start = MessagesTable.ChatRangeStart(chatId);
        var upper = from.IsOpenEnd ? MessagesTable.ChatRangeEnd(chatId) : from.Key;
        long? upperTime = from.IsOpenEnd ? await LastMessageAtAsync(phoneNumberId, chatId, cancellationToken) + 1 : MessagesTable.SentAtOf(from.Key, chatId);
        var collected = new List<TableEntity>();
        var width = FirstWindowSeconds;
        while (true)
        {
            var lowerTime = upperTime is { } t && t - width > 0 ? t - width : (long?)null;
            var lower = lowerTime is { } l ? MessagesTable.ChatRangeFrom(chatId, l) : start;
            collected.InsertRange(0, await ReadAscendingAsync(table, TableFilters.Range(phoneNumberId, lower, upper), null, keep: null, cancellationToken));
            if (collected.Count >= take || lowerTime is null) break;
            upper = lower;
            upperTime = lowerTime;
            width = Math.Min(width * 2, 1L << 40);
        }
        return collected.Count > take ? collected.GetRange(collected.Count - take, take) : collected;
    }

    /// <summary>The chat summary's last message time; null (read from the chat's start) when there is no summary.</summary>
    private async Task<long?> LastMessageAtAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken)
    {
        var summary = await TableRows.GetOrNullAsync(storage.Table(storage.Names.MessagesTable), phoneNumberId, MessagesTable.SummaryRowKey(chatId),
            cancellationToken);
        return summary is null ? null : ChatSummary.FromEntity(summary).LastMessageAt;
    }

    /// <summary>
    /// Rows in RowKey order through Table Storage's own paging (<c>AsPages</c>), asking each time only
    /// for what is still missing; all of them when <paramref name="take"/> is null.
    /// </summary>
    private static async Task<List<TableEntity>> ReadAscendingAsync(TableClient table, string filter, int? take, Func<TableEntity, bool>? keep,
        CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        string? continuation = null;
        do
        {
            var pageSize = take is { } t ? Math.Clamp(t - rows.Count, 1, ReadApiOptions.PageSizeLimit) : ReadApiOptions.PageSizeLimit;
            await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize))
            {
                rows.AddRange(keep is null ? page.Values : page.Values.Where(keep));
                continuation = page.ContinuationToken;
                break; // one server page per request, so the next one asks only for what is missing
            }
        } while (continuation is not null && (take is null || rows.Count < take));
        return rows;
    }

    private static ContactWithRemovalView ToContactView(TableEntity row)
    {
        var contact = ContactsTable.ReadAction(row);
        return new ContactWithRemovalView(contact.PhoneNumber, contact.FullName, contact.FirstName, contact.UserId, contact.ParentUserId,
            contact.Username, contact.IsRemove, contact.IsRemove ? contact.Timestamp : null);
    }

    /// <summary>
    /// A stored chat row as the public view: a follow-up's type and media replace a placeholder's,
    /// the latest edit's text replaces the original's; the delivery is the message's statuses, if any arrived.
    /// </summary>
    /// <param name="archivesMedia">Whether the number's media are archived: else a media file never archived has no archive state (null).</param>
    internal static MessageView ToView(TableEntity row, IReadOnlyDictionary<string, Model.DeliveryState> deliveries, bool archivesMedia = false)
    {
        var message = MessagesTable.ReadChatRow(row);
        var type = message.FollowUp?.Type ?? message.Type;
        var showsFollowUp = message.FollowUp is { } followUp && !IsEmpty(followUp.Media);
        var media = showsFollowUp ? message.FollowUp!.Media : message.Media;
        var text = message.Text;
        if (message.Edit is { } edit)
        {
            if (edit.Type == "text") text = edit.Text;
            if (edit.Caption is { Length: > 0 } caption && media is not null) media = media with { Caption = caption };
        }
        var customer = message.Customer;
        return new MessageView(
            message.MessageId,
            message.ChatId,
            MessagesTable.DirectionName(message.Direction),
            message.From,
            message.To,
            message.SentAt,
            type,
            message.Status,
            MessagesTable.SourceName(message.Source),
            text,
            media is null ? null : MediaViewOf(media, message.FollowUp is null ? message.Content : null,
                ArchiveOf(row, showsFollowUp ? MessagesTable.Columns.FollowUpMedia : MessagesTable.Columns.Media, media.Id, archivesMedia)),
            message.Revoke is not null,
            message.Edit is not null,
            DeliveryView.From(deliveries.GetValueOrDefault(message.MessageId)),
            CustomerViewOf(customer),
            MessageContentViews.ContentOf(type, message.Content),
            message.Context is { ReplyToId: not null } or { ReplyToFrom: not null } ? new ReplyToView(message.Context.ReplyToId, message.Context.ReplyToFrom) : null,
            message.Context?.Forwarded ?? false,
            message.Context?.FrequentlyForwarded ?? false,
            MessageContentViews.ReferralOf(message.Context?.ReferralJson),
            // Rows written before errors had their own column kept an "errors" item's array as its content.
            MessageContentViews.ErrorsOf(message.ErrorsJson ?? (message.Type == "errors" ? message.Content : null)),
            ReactionsOf(message));
    }

    private static MediaView MediaViewOf(Model.MediaInfo media, string? contentJson, MediaArchiveView? archive)
    {
        var (filename, voice, animated) = MessageContentViews.MediaExtrasOf(contentJson);
        return new MediaView(media.Id, media.MimeType, media.Sha256, media.Caption, filename, voice, animated, archive);
    }

    /// <summary>
    /// The archive state of the media object of <paramref name="row"/> whose columns start with <paramref name="slot"/>:
    /// archived only when the row names this media id's blob, failed only when the failure was about this id; otherwise
    /// missing, or null (no state) when the number's media are not archived.
    /// </summary>
    internal static MediaArchiveView? ArchiveOf(TableEntity row, string slot, string? mediaId, bool archivesMedia)
    {
        if (string.IsNullOrEmpty(mediaId)) return null;
        var columns = MessagesTable.Columns.ArchiveOf(slot);
        if (MessagesTable.IsMediaArchived(row, slot, mediaId))
            return new MediaArchiveView(MediaArchiveView.Archived, row.GetInt64(columns.FetchedAt), row.GetInt64(columns.Bytes), null, null);
        if (MessagesTable.IsMediaFailed(row, slot, mediaId))
            return new MediaArchiveView(MediaArchiveView.Failed, null, null, row.GetString(columns.Error), row.GetInt64(columns.FailedAt));
        return archivesMedia ? new MediaArchiveView(MediaArchiveView.Missing, null, null, null, null) : null;
    }

    /// <summary>Each side's current reaction; a removed one (empty emoji) is none; null when neither side has one.</summary>
    private static ReactionsView? ReactionsOf(StoredMessage message)
    {
        static ReactionView? Of(Model.MessageReaction? r) => r is { Emoji.Length: > 0 } ? new ReactionView(r.Emoji, r.Timestamp) : null;
        var (customer, business) = (Of(message.CustomerReaction), Of(message.BusinessReaction));
        return customer is null && business is null ? null : new ReactionsView(customer, business);
    }

    private static CustomerView CustomerViewOf(Model.CustomerIdentity customer) =>
        new(customer.Phone, customer.UserId, customer.ParentUserId, customer.Username);

    private static bool IsEmpty(Model.MediaInfo media) => media is { Id: null, MimeType: null, Sha256: null, Caption: null };
}
