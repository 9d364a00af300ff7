using System.Globalization;
using Azure.Data.Tables;
using Coexistence.Processing;

namespace Coexistence.Storage;

/// <summary>
/// Row keys and properties of the Messages table (docs/data-model.md). PartitionKey is always the
/// business's phone_number_id.
/// <list type="bullet">
/// <item><c>c|{chatId}|{sentAt:D12}|{messageKey}</c>: the message, in its chat, in time order (<see cref="ChatRowEntity"/>);</item>
/// <item><c>m|{messageKey}</c>: the wamid index, pointing to the chat row (<see cref="MessageIndexEntity"/>);</item>
/// <item><c>p|{messageKey}|{facet}</c>: a fact (media follow-up, edit, revoke) waiting for its message;</item>
/// <item><c>s|{chatId}</c>: the chat's summary, its message count and last message time (<see cref="ChatSummary"/>).</item>
/// </list>
/// </summary>
public static class MessageRows
{
    public const string ChatRowPrefix = "c|";
    public const string IndexRowPrefix = "m|";
    public const string PendingRowPrefix = "p|";
    public const string SummaryRowPrefix = "s|";
    /// <summary>'}' sorts right after '|', so <c>s|</c> .. <c>s}</c> bounds every summary row.</summary>
    private const string SummaryRangeEnd = "s}";

    /// <summary>
    /// <c>c|{chatId}|{sentAt:D12}|{messageKey}</c>, written in one go with the wamid escaped in place (a chunk builds
    /// thousands of keys: no intermediate strings).
    /// </summary>
    public static string ChatRowKey(string chatId, long sentAt, string messageId)
    {
        Span<char> time = stackalloc char[24];
        sentAt.TryFormat(time, out var timeLength, "D12", CultureInfo.InvariantCulture);
        var length = ChatRowPrefix.Length + chatId.Length + 1 + timeLength + 1 + KeyEncoding.EncodedLength(messageId);
        return string.Create(length, (chatId, sentAt, messageId), static (key, parts) =>
        {
            ChatRowPrefix.CopyTo(key);
            var at = ChatRowPrefix.Length;
            parts.chatId.CopyTo(key[at..]);
            at += parts.chatId.Length;
            key[at++] = '|';
            parts.sentAt.TryFormat(key[at..], out var written, "D12", CultureInfo.InvariantCulture);
            at += written;
            key[at++] = '|';
            KeyEncoding.EncodeInto(parts.messageId, key[at..]);
        });
    }

    public static string ChatRangeStart(string chatId) => $"{ChatRowPrefix}{chatId}|";
    /// <summary>'}' sorts right after '|', so this bounds every row of the chat.</summary>
    public static string ChatRangeEnd(string chatId) => $"{ChatRowPrefix}{chatId}}}";

    /// <summary>Chat ids are digits (<see cref="Webhooks.PhoneNumbers"/>), so they need no encoding.</summary>
    public static string SummaryRowKey(string chatId) => SummaryRowPrefix + chatId;

    /// <summary>Every summary row of a number (<c>s|</c> .. <c>s}</c>): one range query in its partition.</summary>
    public static string SummaryRangeFilter(string phoneNumberId) => TableBatches.RangeFilter(phoneNumberId, SummaryRowPrefix, SummaryRangeEnd);

    public static string IndexRowKey(string messageId) =>
        string.Create(IndexRowPrefix.Length + KeyEncoding.EncodedLength(messageId), messageId, static (key, id) =>
        {
            IndexRowPrefix.CopyTo(key);
            KeyEncoding.EncodeInto(id, key[IndexRowPrefix.Length..]);
        });
    public static string PendingRowKey(MessageFacet facet) => $"{PendingRowPrefix}{KeyEncoding.Encode(facet.MessageId)}|{KeyEncoding.Encode(facet.FacetKey)}";

    public static string DirectionName(Direction d) => d == Direction.Outbound ? "outbound" : "inbound";
    public static string SourceName(MessageSource s) => s == MessageSource.Echo ? "echo" : "history";

    public static TableEntity PendingRow(string phoneNumberId, MessageFacet facet)
    {
        var e = new TableEntity(phoneNumberId, PendingRowKey(facet)) { ["MessageId"] = facet.MessageId };
        switch (facet)
        {
            case MediaFacet media:
                e["Facet"] = "media";
                e["MediaType"] = media.Type;
                SetMedia(e, "Media", media.Media);
                break;
            case EditFacet edit:
                e["Facet"] = "edit";
                e["EditId"] = edit.EditId;
                e["EditedAt"] = edit.Timestamp;
                SetIfNotNull(e, "EditedType", edit.Type);
                SetIfNotNull(e, "EditedText", edit.Text);
                SetIfNotNull(e, "EditedCaption", edit.Caption);
                break;
            case RevokeFacet revoke:
                e["Facet"] = "revoke";
                e["RevokeId"] = revoke.RevokeId;
                e["RevokedAt"] = revoke.Timestamp;
                break;
        }
        return e;
    }

    public static MessageFacet? FacetFromPendingRow(TableEntity e)
    {
        var id = e.GetString("MessageId");
        if (id is null) return null;
        return e.GetString("Facet") switch
        {
            "media" => new MediaFacet(id, e.GetString("MediaType") ?? "", GetMedia(e, "Media") ?? new MediaInfo(null, null, null, null)),
            "edit" => new EditFacet(id, e.GetString("EditId") ?? "", e.GetInt64("EditedAt") ?? 0, e.GetString("EditedType"), e.GetString("EditedText"), e.GetString("EditedCaption")),
            "revoke" => new RevokeFacet(id, e.GetString("RevokeId") ?? "", e.GetInt64("RevokedAt") ?? 0),
            _ => null,
        };
    }

    /// <summary>
    /// The properties a facet would change on a chat row, or null when the row already reflects it
    /// (the same follow-up twice, an older edit, a second revoke).
    /// </summary>
    public static TableEntity? FacetPatch(TableEntity chatRow, MessageFacet facet)
    {
        var patch = new TableEntity(chatRow.PartitionKey, chatRow.RowKey);
        switch (facet)
        {
            case MediaFacet media:
                // Two different follow-ups for one message would be a provider bug; keep the greatest, so the
                // result is the same whatever order they arrive in. The same follow-up again changes nothing.
                if (chatRow.GetString("FollowUpType") is { } currentType
                    && string.CompareOrdinal(FollowUpKey(currentType, GetMedia(chatRow, "FollowUpMedia")), FollowUpKey(media.Type, media.Media)) >= 0)
                    return null;
                patch["FollowUpType"] = media.Type;
                SetMedia(patch, "FollowUpMedia", media.Media);
                return patch;
            case EditFacet edit:
                var currentAt = chatRow.GetInt64("EditedAt");
                var currentId = chatRow.GetString("EditId");
                if (currentAt is { } at && (at > edit.Timestamp || (at == edit.Timestamp && string.CompareOrdinal(currentId, edit.EditId) >= 0))) return null;
                patch["EditId"] = edit.EditId;
                patch["EditedAt"] = edit.Timestamp;
                patch["EditedType"] = edit.Type ?? "";
                patch["EditedText"] = edit.Text ?? "";
                patch["EditedCaption"] = edit.Caption ?? "";
                return patch;
            case RevokeFacet revoke:
                // The earliest revoke is the one kept, whatever the order they arrive in.
                if (chatRow.GetBoolean("Revoked") == true && (chatRow.GetInt64("RevokedAt") ?? 0, chatRow.GetString("RevokeId") ?? "").CompareTo((revoke.Timestamp, revoke.RevokeId)) <= 0)
                    return null;
                patch["Revoked"] = true;
                patch["RevokeId"] = revoke.RevokeId;
                patch["RevokedAt"] = revoke.Timestamp;
                return patch;
            default:
                return null;
        }
    }

    private static string FollowUpKey(string type, MediaInfo? media) =>
        $"{type}\u0001{media?.Id}\u0001{media?.MimeType}\u0001{media?.Sha256}\u0001{media?.Caption}";

    private static void SetMedia(TableEntity e, string prefix, MediaInfo media)
    {
        SetIfNotNull(e, prefix + "Id", media.Id);
        SetIfNotNull(e, prefix + "MimeType", media.MimeType);
        SetIfNotNull(e, prefix + "Sha256", media.Sha256);
        SetIfNotNull(e, prefix + "Caption", media.Caption);
    }

    public static MediaInfo? GetMedia(TableEntity e, string prefix)
    {
        var media = new MediaInfo(e.GetString(prefix + "Id"), e.GetString(prefix + "MimeType"), e.GetString(prefix + "Sha256"), e.GetString(prefix + "Caption"));
        return media is { Id: null, MimeType: null, Sha256: null, Caption: null } ? null : media;
    }

    private static void SetIfNotNull(TableEntity e, string name, string? value)
    {
        if (value is not null) e[name] = value;
    }
}
