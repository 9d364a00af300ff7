using System.Globalization;
using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the Messages table (docs/data-model.md), in one place: its row keys and key ranges, its column
/// names, and the mapping between rows and the model. PartitionKey is always the business's phone_number_id.
/// <list type="bullet">
/// <item><c>c|{chatId}|{sentAt:D12}|{messageKey}</c>: the message, in its chat, in time order (<see cref="ChatRowEntity"/>);</item>
/// <item><c>m|{messageKey}</c>: the wamid index, pointing to the chat row (<see cref="MessageIndexEntity"/>);</item>
/// <item><c>p|{messageKey}|{factKey}</c>: a fact (media follow-up, edit, revoke) waiting for its message;</item>
/// <item><c>s|{chatId}</c>: the chat's summary, its message count and last message time (<see cref="ChatSummaryEntity"/>);</item>
/// <item><c>d|{messageKey}|{status}|{timestamp:D12}|{errorCode}</c>: one status of a message the business sent, whether
/// or not the message is stored (<see cref="StatusRowKey"/>);</item>
/// <item><c>l|{userId}</c>: a business-scoped user id linked to a phone (<see cref="IdentityStore"/>);</item>
/// <item><c>n|{oldId}|{at:D12}|{newId}</c>: a customer's change of number or user id (<see cref="IdentityChange"/>);</item>
/// <item><c>r|{chatId}</c>: a chat whose summary retention has yet to recount (<see cref="RecountRowKey"/>).</item>
/// </list>
/// A message key is the wamid, key-encoded (<see cref="KeyEncoding"/>); chat ids are digits and need none.
/// </summary>
internal static class MessagesTable
{
    public const string ChatRowPrefix = "c|";
    public const string IndexRowPrefix = "m|";
    public const string PendingRowPrefix = "p|";
    public const string SummaryRowPrefix = "s|";
    public const string StatusRowPrefix = "d|";
    public const string LinkRowPrefix = "l|";
    public const string ChangeRowPrefix = "n|";
    /// <summary>A chat whose summary retention must recount: written before it deletes the chat's rows, deleted after the recount.</summary>
    public const string RecountRowPrefix = "r|";

    /// <summary>The columns. Those of the entities written whole take their names from the entity types.</summary>
    public static class Columns
    {
        // A chat row as its chunk or echo writes it.
        public const string MessageId = nameof(ChatRowEntity.MessageId);
        public const string ChatId = nameof(ChatRowEntity.ChatId);
        public const string Direction = nameof(ChatRowEntity.Direction);
        public const string From = nameof(ChatRowEntity.From);
        public const string To = nameof(ChatRowEntity.To);
        public const string SentAt = nameof(ChatRowEntity.SentAt);
        public const string Type = nameof(ChatRowEntity.Type);
        public const string Source = nameof(ChatRowEntity.Source);
        public const string Status = nameof(ChatRowEntity.Status);
        public const string Text = nameof(ChatRowEntity.Text);
        public const string Content = nameof(ChatRowEntity.Content);
        /// <summary>The customer's business-scoped user id, its parent id and username, as the item gave them.</summary>
        public const string UserId = nameof(ChatRowEntity.UserId);
        public const string ParentUserId = nameof(ChatRowEntity.ParentUserId);
        public const string Username = nameof(ChatRowEntity.Username);
        /// <summary>What the message refers to (<see cref="MessageContext"/>), and its <c>errors</c> array.</summary>
        public const string ReplyToId = nameof(ChatRowEntity.ReplyToId);
        public const string ReplyToFrom = nameof(ChatRowEntity.ReplyToFrom);
        public const string Forwarded = nameof(ChatRowEntity.Forwarded);
        public const string FrequentlyForwarded = nameof(ChatRowEntity.FrequentlyForwarded);
        public const string Referral = nameof(ChatRowEntity.Referral);
        public const string Errors = nameof(ChatRowEntity.Errors);
        /// <summary>The message's own media: <c>MediaId</c>, <c>MediaMimeType</c>, <c>MediaSha256</c>, <c>MediaCaption</c>.</summary>
        public const string Media = "Media";

        // The facts applied to a chat row, each by its own patch (disjoint from the columns above).
        public const string FollowUpType = "FollowUpType";
        /// <summary>The follow-up's media: <c>FollowUpMediaId</c>, ... as <see cref="Media"/>.</summary>
        public const string FollowUpMedia = "FollowUpMedia";
        public const string EditId = "EditId";
        public const string EditedAt = "EditedAt";
        public const string EditedType = "EditedType";
        public const string EditedText = "EditedText";
        public const string EditedCaption = "EditedCaption";
        public const string Revoked = "Revoked";
        public const string RevokeId = "RevokeId";
        public const string RevokedAt = "RevokedAt";
        /// <summary>
        /// Each side's current reaction: <c>CustomerReaction</c> (the emoji, <c>""</c> once removed), <c>CustomerReactionId</c>,
        /// <c>CustomerReactionAt</c>, and the same for <c>Business</c>.
        /// </summary>
        public static (string Emoji, string Id, string At) ReactionOf(Direction side) => side == Model.Direction.Inbound
            ? (CustomerReaction, CustomerReactionId, CustomerReactionAt)
            : (BusinessReaction, BusinessReactionId, BusinessReactionAt);
        public const string CustomerReaction = nameof(ChatRowEntity.CustomerReaction);
        public const string CustomerReactionId = nameof(ChatRowEntity.CustomerReactionId);
        public const string CustomerReactionAt = nameof(ChatRowEntity.CustomerReactionAt);
        public const string BusinessReaction = nameof(ChatRowEntity.BusinessReaction);
        public const string BusinessReactionId = nameof(ChatRowEntity.BusinessReactionId);
        public const string BusinessReactionAt = nameof(ChatRowEntity.BusinessReactionAt);
        // In a pending reaction: which side, and Emoji, ReactionId, ReactionAt.
        public const string ReactionSide = "ReactionSide";
        public const string Emoji = "Emoji";
        public const string ReactionId = "ReactionId";
        public const string ReactionAt = "ReactionAt";

        // The index row.
        public const string ChatRowKey = nameof(MessageIndexEntity.ChatRowKey);

        // A pending row: MessageId, which fact, and the fact's own columns (a follow-up's media as Media*).
        public const string Fact = "Fact";
        public const string MediaType = "MediaType";

        // A status row: MessageId, Status (sent, delivered, read, failed, ...), and these.
        public const string StatusAt = "StatusAt";
        public const string RecipientId = "RecipientId";
        public const string RecipientUserId = "RecipientUserId";
        public const string ErrorCode = "ErrorCode";
        public const string ErrorTitle = "ErrorTitle";
        public const string ErrorMessage = "ErrorMessage";
        public const string ErrorDetails = "ErrorDetails";

        // A link row: UserId and the Phone it belongs to.
        public const string Phone = "Phone";

        // A change row.
        public const string OldId = "OldId";
        public const string NewId = "NewId";
        public const string ChangedAt = "ChangedAt";

        // A summary row.
        public const string MessageCount = nameof(ChatSummaryEntity.MessageCount);
        public const string LastMessageAt = nameof(ChatSummaryEntity.LastMessageAt);
        /// <summary>True on the summary of a chat whose customer changed number or user id: its messages belong elsewhere.</summary>
        public const string Superseded = nameof(ChatSummaryEntity.Superseded);
        /// <summary>The chat row key of the latest message that named the customer's user id, parent id or username (<see cref="ChatCustomer"/>).</summary>
        public const string CustomerFrom = nameof(ChatSummaryEntity.CustomerFrom);

        /// <summary>
        /// The media archive's columns of the media object whose names start with <paramref name="prefix"/> (<see cref="Media"/>
        /// or <see cref="FollowUpMedia"/>; docs/media.md): the blob it is stored in, when it was fetched and its size; or
        /// why it could never be, when that was found, and the media id it was about. Written by the archiver alone.
        /// </summary>
        public static (string Blob, string FetchedAt, string Bytes, string Error, string FailedAt, string FailedId) ArchiveOf(string prefix) =>
            (prefix + "Blob", prefix + "FetchedAt", prefix + "Bytes", prefix + "Error", prefix + "FailedAt", prefix + "FailedId");

        /// <summary>The four columns of a media object whose names start with <paramref name="prefix"/>.</summary>
        public static (string Id, string MimeType, string Sha256, string Caption) MediaOf(string prefix) =>
            (prefix + "Id", prefix + "MimeType", prefix + "Sha256", prefix + "Caption");
    }

    // ---- Keys ----

    /// <summary>
    /// <c>c|{chatId}|{sentAt:D12}|{messageKey}</c>, written in one go with the wamid escaped in place (a chunk builds
    /// thousands of keys: no intermediate strings).
    /// </summary>
    public static string ChatRowKey(string chatId, long sentAt, string messageId)
    {
        Span<char> time = stackalloc char[24];
        sentAt.TryFormat(time, out var timeLength, "D12", CultureInfo.InvariantCulture);
        var (idLength, hashed) = IdKeyPart(messageId);
        var length = ChatRowPrefix.Length + chatId.Length + 1 + timeLength + 1 + idLength;
        return string.Create(length, (chatId, sentAt, messageId, hashed), static (key, parts) =>
        {
            ChatRowPrefix.CopyTo(key);
            var at = ChatRowPrefix.Length;
            parts.chatId.CopyTo(key[at..]);
            at += parts.chatId.Length;
            key[at++] = '|';
            parts.sentAt.TryFormat(key[at..], out var written, "D12", CultureInfo.InvariantCulture);
            at += written;
            key[at++] = '|';
            WriteIdKeyPart(parts.messageId, parts.hashed, key[at..]);
        });
    }

    public static string IndexRowKey(string messageId)
    {
        var (idLength, hashed) = IdKeyPart(messageId);
        return string.Create(IndexRowPrefix.Length + idLength, (messageId, hashed), static (key, parts) =>
        {
            IndexRowPrefix.CopyTo(key);
            WriteIdKeyPart(parts.messageId, parts.hashed, key[IndexRowPrefix.Length..]);
        });
    }

    /// <summary>
    /// A wamid's key part as <see cref="KeyEncoding.IdKey"/> makes it, with one scan of the wamid on the common path:
    /// its encoded length, and the hashed part only when the encoding is too long (then written instead).
    /// </summary>
    private static (int Length, string? Hashed) IdKeyPart(string messageId)
    {
        var encodedLength = KeyEncoding.EncodedLength(messageId);
        if (encodedLength <= KeyEncoding.MaxIdKeyChars) return (encodedLength, null);
        var hashed = KeyEncoding.IdKey(messageId);
        return (hashed.Length, hashed);
    }

    private static void WriteIdKeyPart(string messageId, string? hashed, Span<char> destination)
    {
        if (hashed is null) KeyEncoding.EncodeInto(messageId, destination);
        else hashed.CopyTo(destination);
    }

    public static string PendingRowKey(MessageFact fact) => $"{PendingRowPrefix}{KeyEncoding.IdKey(fact.MessageId)}|{KeyEncoding.IdKey(fact.FactKey)}";

    /// <summary>Chat ids are digits or business-scoped user ids (<see cref="Webhooks.ChatIds"/>), so they need no encoding.</summary>
    public static string SummaryRowKey(string chatId) => SummaryRowPrefix + chatId;

    /// <summary>
    /// A status's own key: a message's statuses are a set, so the same status twice (a duplicate delivery) is one row
    /// and any order of arrival leaves the same rows. The error code tells two failures at one time apart.
    /// </summary>
    public static string StatusRowKey(MessageStatus status)
    {
        var code = status.Error?.Code?.ToString(CultureInfo.InvariantCulture) ?? "-";
        return string.Create(CultureInfo.InvariantCulture, $"{StatusRangeStart(status.MessageId)}{KeyEncoding.IdKey(status.Status)}|{status.Timestamp:D12}|{code}");
    }

    // ---- Key ranges ----

    /// <summary>The first possible key of a message's status rows.</summary>
    public static string StatusRangeStart(string messageId) => $"{StatusRowPrefix}{KeyEncoding.IdKey(messageId)}|";

    /// <summary>Every status row of one message.</summary>
    public static string StatusRowsFilter(string phoneNumberId, string messageId) => PrefixFilter(phoneNumberId, StatusRangeStart(messageId));

    /// <summary>The first possible key of a chat's rows (every one is greater).</summary>
    public static string ChatRangeStart(string chatId) => $"{ChatRowPrefix}{chatId}|";

    /// <summary>'}' sorts right after '|', so this bounds every row of the chat.</summary>
    public static string ChatRangeEnd(string chatId) => $"{ChatRowPrefix}{chatId}}}";

    /// <summary>The first possible key of a chat's rows sent at or after <paramref name="sentAt"/>.</summary>
    public static string ChatRangeFrom(string chatId, long sentAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{ChatRangeStart(chatId)}{sentAt:D12}|");

    /// <summary>The sentAt of a chat row key of <paramref name="chatId"/>; null when the key is not one.</summary>
    public static long? SentAtOf(string rowKey, string chatId)
    {
        var start = ChatRangeStart(chatId);
        return rowKey.Length >= start.Length + 12 && rowKey.StartsWith(start, StringComparison.Ordinal)
               && long.TryParse(rowKey.AsSpan(start.Length, 12), NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt)
            ? sentAt
            : null;
    }

    /// <summary>Every row of one chat, in time order.</summary>
    public static string ChatRowsFilter(string phoneNumberId, string chatId) =>
        TableFilters.Range(phoneNumberId, ChatRangeStart(chatId), ChatRangeEnd(chatId));

    /// <summary>Every chat row of the number.</summary>
    public static string AllChatRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, ChatRowPrefix);

    /// <summary>Every pending fact of the number.</summary>
    public static string PendingRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, PendingRowPrefix);

    /// <summary>Every wamid index row of the number.</summary>
    public static string IndexRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, IndexRowPrefix);

    /// <summary>Every status row of the number.</summary>
    public static string AllStatusRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, StatusRowPrefix);

    /// <summary>
    /// Retention's note that a chat's summary must be recounted: written before it deletes rows of the chat and deleted once the
    /// chat is recounted, so a sweep stopped in between (a crash, a cancellation) leaves the note for the next one.
    /// </summary>
    public static string RecountRowKey(string chatId) => RecountRowPrefix + chatId;

    /// <summary>Every recount note of the number.</summary>
    public static string RecountRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, RecountRowPrefix);

    /// <summary>
    /// The message key (the wamid's key part) of a chat row (<c>c|{chatId}|{sentAt}|{key}</c>), a pending fact
    /// (<c>p|{key}|...</c>) or a status row (<c>d|{key}|...</c>): key parts never hold a raw <c>|</c>.
    /// </summary>
    public static string? MessageKeyOf(string rowKey)
    {
        var parts = rowKey.Split('|');
        if (rowKey.StartsWith(ChatRowPrefix, StringComparison.Ordinal)) return parts.Length >= 4 ? parts[3] : null;
        var keyed = rowKey.StartsWith(PendingRowPrefix, StringComparison.Ordinal) || rowKey.StartsWith(StatusRowPrefix, StringComparison.Ordinal)
                    || rowKey.StartsWith(IndexRowPrefix, StringComparison.Ordinal);
        return keyed && parts.Length >= 2 ? parts[1] : null;
    }

    public static string LinkRowKey(string userId) => LinkRowPrefix + userId;

    public static string ChangeRowKey(IdentityChange change) =>
        string.Create(CultureInfo.InvariantCulture, $"{ChangeRowPrefix}{change.OldId}|{change.At:D12}|{change.NewId}");

    /// <summary>Every change of number or user id of the number's customers (few: one per change a customer made).</summary>
    public static string ChangeRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, ChangeRowPrefix);

    public static TableEntity ChangeRow(string phoneNumberId, IdentityChange change) => new(phoneNumberId, ChangeRowKey(change))
    {
        [Columns.OldId] = change.OldId, [Columns.NewId] = change.NewId, [Columns.ChangedAt] = change.At,
    };

    public static IdentityChange? ReadChangeRow(TableEntity row) =>
        row.GetString(Columns.OldId) is { } oldId && row.GetString(Columns.NewId) is { } newId && row.GetInt64(Columns.ChangedAt) is { } at
            ? new IdentityChange(oldId, newId, at)
            : null;

    /// <summary>The summaries of the chats of people known only by business-scoped user id (<see cref="Webhooks.UserIds.KeyRangeStart"/>).</summary>
    public static string UserIdSummaryRowsFilter(string phoneNumberId) =>
        TableFilters.Range(phoneNumberId, SummaryRowPrefix + Webhooks.UserIds.KeyRangeStart, SummaryRowPrefix + Webhooks.UserIds.KeyRangeEnd);

    /// <summary>Every summary row of the number: one range query in its partition.</summary>
    public static string SummaryRowsFilter(string phoneNumberId) => PrefixFilter(phoneNumberId, SummaryRowPrefix);

    /// <summary>'}' sorts right after '|', so <c>x|</c> .. <c>x}</c> bounds every row whose key starts with <c>x|</c> (any x).</summary>
    private static string PrefixFilter(string phoneNumberId, string prefix) => TableFilters.Range(phoneNumberId, prefix, prefix[..^1] + "}");

    // ---- Rows and the model ----

    public static string DirectionName(Direction d) => d == Direction.Outbound ? "outbound" : "inbound";

    public static string SourceName(MessageSource s) => s switch
    {
        MessageSource.Echo => "echo",
        MessageSource.Messages => "messages",
        _ => "history",
    };

    public static MessageSource SourceOf(string? name) => name switch
    {
        "echo" => MessageSource.Echo,
        "messages" => MessageSource.Messages,
        _ => MessageSource.History,
    };

    public static TableEntity StatusRow(string phoneNumberId, MessageStatus status)
    {
        var e = new TableEntity(phoneNumberId, StatusRowKey(status))
        {
            [Columns.MessageId] = status.MessageId,
            [Columns.Status] = status.Status,
            [Columns.StatusAt] = status.Timestamp,
        };
        SetIfNotNull(e, Columns.RecipientId, status.RecipientId);
        SetIfNotNull(e, Columns.RecipientUserId, status.RecipientUserId);
        if (status.Error is { } error)
        {
            if (error.Code is { } code) e[Columns.ErrorCode] = code;
            SetIfNotNull(e, Columns.ErrorTitle, error.Title);
            SetIfNotNull(e, Columns.ErrorMessage, error.Message);
            SetIfNotNull(e, Columns.ErrorDetails, error.Details);
        }
        return e;
    }

    public static MessageStatus ReadStatusRow(TableEntity e)
    {
        var error = new WebhookError(e.GetInt64(Columns.ErrorCode), e.GetString(Columns.ErrorTitle), e.GetString(Columns.ErrorMessage),
            e.GetString(Columns.ErrorDetails));
        return new MessageStatus(e.GetString(Columns.MessageId) ?? "", e.GetString(Columns.Status) ?? "", e.GetInt64(Columns.StatusAt) ?? 0,
            e.GetString(Columns.RecipientId), error is { Code: null, Title: null, Message: null, Details: null } ? null : error,
            e.GetString(Columns.RecipientUserId));
    }

    /// <summary>A chat row as stored: what its chunk or echo wrote, and the facts applied to it since.</summary>
    public static StoredMessage ReadChatRow(TableEntity row)
    {
        var messageId = row.GetString(Columns.MessageId) ?? "";
        MediaFollowUp? followUp = row.GetString(Columns.FollowUpType) is { } followUpType
            ? new MediaFollowUp(messageId, followUpType, ReadMedia(row, Columns.FollowUpMedia) ?? new MediaInfo(null, null, null, null))
            : null;
        MessageEdit? edit = row.GetString(Columns.EditId) is { } editId
            ? new MessageEdit(messageId, editId, row.GetInt64(Columns.EditedAt) ?? 0, row.GetString(Columns.EditedType),
                row.GetString(Columns.EditedText), row.GetString(Columns.EditedCaption))
            : null;
        MessageRevoke? revoke = row.GetBoolean(Columns.Revoked) == true
            ? new MessageRevoke(messageId, row.GetString(Columns.RevokeId) ?? "", row.GetInt64(Columns.RevokedAt) ?? 0)
            : null;
        return new StoredMessage(
            messageId,
            row.GetString(Columns.ChatId) ?? "",
            row.GetString(Columns.Direction) == DirectionName(Direction.Outbound) ? Direction.Outbound : Direction.Inbound,
            row.GetString(Columns.From) ?? "",
            row.GetString(Columns.To) ?? "",
            row.GetInt64(Columns.SentAt) ?? 0,
            row.GetString(Columns.Type) ?? "",
            SourceOf(row.GetString(Columns.Source)),
            row.GetString(Columns.Status),
            row.GetString(Columns.Text),
            ReadMedia(row, Columns.Media),
            row.GetString(Columns.Content),
            followUp, edit, revoke,
            row.GetString(Columns.UserId), row.GetString(Columns.ParentUserId), row.GetString(Columns.Username),
            ReadContext(row), row.GetString(Columns.Errors),
            ReadReaction(row, messageId, Direction.Inbound), ReadReaction(row, messageId, Direction.Outbound));
    }

    private static MessageContext? ReadContext(TableEntity row)
    {
        var context = new MessageContext(row.GetString(Columns.ReplyToId), row.GetString(Columns.ReplyToFrom), row.GetBoolean(Columns.Forwarded) == true,
            row.GetBoolean(Columns.FrequentlyForwarded) == true, row.GetString(Columns.Referral));
        return context.IsEmpty ? null : context;
    }

    private static MessageReaction? ReadReaction(TableEntity row, string messageId, Direction side)
    {
        var (emoji, id, at) = Columns.ReactionOf(side);
        return row.GetString(id) is { } reactionId
            ? new MessageReaction(messageId, reactionId, side, row.GetInt64(at) ?? 0, row.GetString(emoji) ?? "")
            : null;
    }

    /// <summary>
    /// <paramref name="stored"/> with the message's own columns replaced by those of <paramref name="message"/> (another
    /// copy of it merged in), at <paramref name="rowKey"/> (the same key, or an earlier one when the merged time is
    /// earlier): the facts applied to the row are kept. Written whole (replace), so that no column of the old copy stays.
    /// </summary>
    public static TableEntity RewrittenChatRow(TableEntity stored, string rowKey, ChatMessage message)
    {
        var row = new TableEntity(stored.PartitionKey, rowKey);
        foreach (var (name, value) in stored)
            if (name is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")) row[name] = value;
        var written = new ChatRowEntity(stored.PartitionKey, rowKey, message);
        foreach (var column in MessageColumns)
        {
            if (column.GetValue(written) is { } value) row[column.Name] = value;
            else row.Remove(column.Name);
        }
        return row;
    }

    /// <summary>The message's own columns: every property of <see cref="ChatRowEntity"/> but its keys.</summary>
    private static readonly System.Reflection.PropertyInfo[] MessageColumns =
        [.. typeof(ChatRowEntity).GetProperties().Where(p => p.Name is not (nameof(ITableEntity.PartitionKey) or nameof(ITableEntity.RowKey)
            or nameof(ITableEntity.Timestamp) or nameof(ITableEntity.ETag)))];

    /// <summary>Where a message's media file is archived in the media container (docs/media.md): <c>{phoneNumberId}/{wamid key}/{media id key}</c>.</summary>
    public static string MediaBlobName(string phoneNumberId, string messageId, string mediaId) =>
        $"{phoneNumberId}/{KeyEncoding.IdKey(messageId)}/{KeyEncoding.IdKey(mediaId)}";

    /// <summary>
    /// Which media object of a chat row has the media id: <see cref="Columns.Media"/> (the message's own) or
    /// <see cref="Columns.FollowUpMedia"/> (a history follow-up's), or null when neither.
    /// </summary>
    public static string? MediaSlotOf(TableEntity chatRow, string mediaId) =>
        chatRow.GetString(Columns.MediaOf(Columns.Media).Id) == mediaId ? Columns.Media
        : chatRow.GetString(Columns.MediaOf(Columns.FollowUpMedia).Id) == mediaId ? Columns.FollowUpMedia
        : null;

    /// <summary>Whether the chat row names the archived file of this media id on its media object <paramref name="slot"/> (docs/media.md).</summary>
    public static bool IsMediaArchived(TableEntity chatRow, string slot, string mediaId) =>
        chatRow.GetString(Columns.ArchiveOf(slot).Blob) == MediaBlobName(chatRow.PartitionKey, chatRow.GetString(Columns.MessageId) ?? "", mediaId);

    /// <summary>Whether the chat row records that this media id's file can never be archived (a failure about another id does not count).</summary>
    public static bool IsMediaFailed(TableEntity chatRow, string slot, string mediaId) => chatRow.GetString(Columns.ArchiveOf(slot).FailedId) == mediaId;

    /// <summary>The chat row a wamid index row points to, or null.</summary>
    public static string? ChatRowKeyOf(TableEntity indexRow) => indexRow.GetString(Columns.ChatRowKey);

    public static TableEntity PendingRow(string phoneNumberId, MessageFact fact)
    {
        var e = new TableEntity(phoneNumberId, PendingRowKey(fact)) { [Columns.MessageId] = fact.MessageId };
        switch (fact)
        {
            case MediaFollowUp media:
                e[Columns.Fact] = "media";
                e[Columns.MediaType] = media.Type;
                WriteMedia(e, Columns.Media, media.Media);
                break;
            case MessageEdit edit:
                e[Columns.Fact] = "edit";
                e[Columns.EditId] = edit.EditId;
                e[Columns.EditedAt] = edit.Timestamp;
                SetIfNotNull(e, Columns.EditedType, edit.Type);
                SetIfNotNull(e, Columns.EditedText, edit.Text);
                SetIfNotNull(e, Columns.EditedCaption, edit.Caption);
                break;
            case MessageRevoke revoke:
                e[Columns.Fact] = "revoke";
                e[Columns.RevokeId] = revoke.RevokeId;
                e[Columns.RevokedAt] = revoke.Timestamp;
                break;
            case MessageReaction reaction:
                e[Columns.Fact] = "reaction";
                e[Columns.ReactionSide] = DirectionName(reaction.Side);
                e[Columns.ReactionId] = reaction.ReactionId;
                e[Columns.ReactionAt] = reaction.Timestamp;
                e[Columns.Emoji] = reaction.Emoji;
                break;
        }
        return e;
    }

    public static MessageFact? ReadPendingRow(TableEntity e)
    {
        var id = e.GetString(Columns.MessageId);
        if (id is null) return null;
        return e.GetString(Columns.Fact) switch
        {
            "media" => new MediaFollowUp(id, e.GetString(Columns.MediaType) ?? "", ReadMedia(e, Columns.Media) ?? new MediaInfo(null, null, null, null)),
            "edit" => new MessageEdit(id, e.GetString(Columns.EditId) ?? "", e.GetInt64(Columns.EditedAt) ?? 0, e.GetString(Columns.EditedType),
                e.GetString(Columns.EditedText), e.GetString(Columns.EditedCaption)),
            "revoke" => new MessageRevoke(id, e.GetString(Columns.RevokeId) ?? "", e.GetInt64(Columns.RevokedAt) ?? 0),
            "reaction" => new MessageReaction(id, e.GetString(Columns.ReactionId) ?? "",
                e.GetString(Columns.ReactionSide) == DirectionName(Direction.Outbound) ? Direction.Outbound : Direction.Inbound,
                e.GetInt64(Columns.ReactionAt) ?? 0, e.GetString(Columns.Emoji) ?? ""),
            _ => null,
        };
    }

    /// <summary>
    /// The columns a fact would change on a chat row, or null when the row already holds a fact that wins over it
    /// (the same follow-up twice, an older edit, a later revoke): the model decides (<c>Supersedes</c>).
    /// </summary>
    public static TableEntity? FactPatch(TableEntity chatRow, MessageFact fact)
    {
        var stored = ReadChatRow(chatRow);
        var patch = new TableEntity(chatRow.PartitionKey, chatRow.RowKey);
        switch (fact)
        {
            case MediaFollowUp media when media.Supersedes(stored.FollowUp):
                patch[Columns.FollowUpType] = media.Type;
                WriteMedia(patch, Columns.FollowUpMedia, media.Media);
                return patch;
            case MessageEdit edit when edit.Supersedes(stored.Edit):
                // Every edit column is written (empty, not absent), so a merge replaces a previous edit whole.
                patch[Columns.EditId] = edit.EditId;
                patch[Columns.EditedAt] = edit.Timestamp;
                patch[Columns.EditedType] = edit.Type ?? "";
                patch[Columns.EditedText] = edit.Text ?? "";
                patch[Columns.EditedCaption] = edit.Caption ?? "";
                return patch;
            case MessageRevoke revoke when revoke.Supersedes(stored.Revoke):
                patch[Columns.Revoked] = true;
                patch[Columns.RevokeId] = revoke.RevokeId;
                patch[Columns.RevokedAt] = revoke.Timestamp;
                return patch;
            case MessageReaction reaction when reaction.Supersedes(stored.ReactionOf(reaction.Side)):
                var (emoji, id, at) = Columns.ReactionOf(reaction.Side);
                patch[emoji] = reaction.Emoji;
                patch[id] = reaction.ReactionId;
                patch[at] = reaction.Timestamp;
                return patch;
            default:
                return null;
        }
    }

    private static void WriteMedia(TableEntity e, string prefix, MediaInfo media)
    {
        var columns = Columns.MediaOf(prefix);
        SetIfNotNull(e, columns.Id, media.Id);
        SetIfNotNull(e, columns.MimeType, media.MimeType);
        SetIfNotNull(e, columns.Sha256, media.Sha256);
        SetIfNotNull(e, columns.Caption, media.Caption);
    }

    /// <summary>The media object whose columns start with <paramref name="prefix"/>, or null when the row has none of them.</summary>
    public static MediaInfo? ReadMedia(TableEntity e, string prefix)
    {
        var columns = Columns.MediaOf(prefix);
        var media = new MediaInfo(e.GetString(columns.Id), e.GetString(columns.MimeType), e.GetString(columns.Sha256), e.GetString(columns.Caption));
        return media is { Id: null, MimeType: null, Sha256: null, Caption: null } ? null : media;
    }

    private static void SetIfNotNull(TableEntity e, string name, string? value)
    {
        if (value is not null) e[name] = value;
    }
}
