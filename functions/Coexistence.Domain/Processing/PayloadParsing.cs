using System.Text;
using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>Pieces shared by the three payload parsers.</summary>
internal static class PayloadParsing
{
    /// <summary>Table string properties hold 32 K UTF-16 characters; longer content is cut (the raw archive keeps it whole).</summary>
    public const int MaxStoredChars = 30_000;

    public static readonly HashSet<string> MediaTypes = ["image", "video", "audio", "document", "sticker"];

    /// <summary>Identifiers and codes (media ids, MIME types, hashes, statuses, types) are short; longer ones are cut here.</summary>
    public const int MaxShortChars = 512;

    public static string? Short(string? value) =>
        value is null || value.Length <= MaxShortChars ? value : value[..MaxShortChars];

    /// <summary>A value quoted in a quarantine reason: short enough that the reason always fits its table property.</summary>
    public static string Quoted(string? value) => value is null ? "null" : $"\"{(value.Length <= 64 ? value : value[..64] + "…")}\"";

    public static string? Truncate(string? value) =>
        value is null || value.Length <= MaxStoredChars ? value : value[..MaxStoredChars];

    public static string ItemJson(JsonElement item) => Truncate(item.GetRawText())!;

    /// <summary>
    /// Message types that arrive in coexistence webhooks. A known one is read as this shared string: a history
    /// chunk of thousands of messages then allocates no type string per message.
    /// </summary>
    private static readonly KnownValue[] KnownTypes = KnownValue.Of(
    [
        "text", "media_placeholder", "image", "video", "audio", "document", "sticker", "reaction", "location", "contacts",
        "errors", "interactive", "button", "template", "unsupported", "edit", "revoke", "order", "system", "request_welcome",
    ]);

    /// <summary>History statuses as documented (upper case) and as observed (lower case), each read as its normal form.</summary>
    private static readonly KnownValue[] KnownStatuses =
    [
        .. KnownValue.Of(["READ", "DELIVERED", "SENT", "PLAYED", "PENDING", "ERROR"]),
        .. KnownValue.Of(["READ", "DELIVERED", "SENT", "PLAYED", "PENDING", "ERROR"])
            .Select(v => v with { Utf8 = Encoding.UTF8.GetBytes(v.Text.ToLowerInvariant()) }),
    ];

    /// <summary>A value seen often, as the UTF-8 it is compared with (no transcoding per comparison) and the string it is read as.</summary>
    private readonly record struct KnownValue(byte[] Utf8, string Text)
    {
        public static KnownValue[] Of(string[] texts) => [.. texts.Select(t => new KnownValue(Encoding.UTF8.GetBytes(t), t))];
    }

    /// <summary>A string value, reusing <paramref name="known"/> when the value equals it; null when not a string.</summary>
    private static string? KnownString(JsonElement p, KnownValue[] known)
    {
        if (p.ValueKind != JsonValueKind.String) return null;
        foreach (var candidate in known)
            if (p.ValueEquals(candidate.Utf8)) return candidate.Text;
        return p.ReadString();
    }

    /// <summary>
    /// A phone number as text (string or number, as <see cref="JsonValues.GetStringOrNumber"/>), reusing
    /// <paramref name="knownA"/> or <paramref name="knownB"/> (already digits: the business number, the chat) when the
    /// value is one of them, as it is for most messages of a chunk. Null when absent or neither string nor number.
    /// </summary>
    private static string? PhoneNumberText(JsonElement p, string? knownA, string? knownB)
    {
        switch (p.ValueKind)
        {
            case JsonValueKind.String:
                if (knownA is not null && p.ValueEquals(knownA)) return knownA;
                if (knownB is not null && p.ValueEquals(knownB)) return knownB;
                return p.ReadString();
            case JsonValueKind.Number:
                return p.GetRawText();
            default:
                return null;
        }
    }

    /// <summary>
    /// The members of a message object the parsers read, found in one pass over its properties rather than one
    /// search per member (a history chunk holds thousands of messages). As with <c>TryGetProperty</c>, the last of
    /// duplicate names wins; a missing member is <c>default</c> (<see cref="JsonValueKind.Undefined"/>).
    /// </summary>
    public readonly record struct MessageMembers(JsonElement Id, JsonElement From, JsonElement To, JsonElement Timestamp, JsonElement Type,
        JsonElement HistoryContext, JsonElement Context, JsonElement Referral, JsonElement Errors)
    {
        public static MessageMembers Of(JsonElement message)
        {
            JsonElement id = default, from = default, to = default, timestamp = default, type = default, historyContext = default;
            JsonElement context = default, referral = default, errors = default;
            foreach (var property in message.EnumerateObject())
            {
                if (property.NameEquals("id"u8)) id = property.Value;
                else if (property.NameEquals("from"u8)) from = property.Value;
                else if (property.NameEquals("to"u8)) to = property.Value;
                else if (property.NameEquals("timestamp"u8)) timestamp = property.Value;
                else if (property.NameEquals("type"u8)) type = property.Value;
                else if (property.NameEquals("history_context"u8)) historyContext = property.Value;
                else if (property.NameEquals("context"u8)) context = property.Value;
                else if (property.NameEquals("referral"u8)) referral = property.Value;
                else if (property.NameEquals("errors"u8)) errors = property.Value;
            }
            return new MessageMembers(id, from, to, timestamp, type, historyContext, context, referral, errors);
        }
    }

    /// <summary>
    /// What a message refers to (<see cref="MessageContext"/>): <c>context</c> <c>{id, from, forwarded,
    /// frequently_forwarded}</c> and <c>referral</c> (kept as raw JSON); null when the item has neither. A quoted
    /// <c>from</c> in digits is normalized like every phone; otherwise (a user id) kept as sent, cut to a short value.
    /// </summary>
    public static MessageContext? ReadContext(JsonElement context, JsonElement referral)
    {
        if (context.ValueKind != JsonValueKind.Object && referral.ValueKind != JsonValueKind.Object) return null;
        string? replyToId = null, replyToFrom = null;
        bool forwarded = false, frequentlyForwarded = false;
        if (context.ValueKind == JsonValueKind.Object)
        {
            replyToId = Short(NonEmpty(context.GetString("id")));
            var from = NonEmpty(context.GetStringOrNumber("from"));
            replyToFrom = from is not null && PhoneNumbers.TryNormalize(from, out var digits) ? digits : Short(from);
            forwarded = context.GetBoolean("forwarded") ?? false;
            frequentlyForwarded = context.GetBoolean("frequently_forwarded") ?? false;
        }
        var result = new MessageContext(replyToId, replyToFrom, forwarded, frequentlyForwarded,
            referral.ValueKind == JsonValueKind.Object ? Truncate(referral.GetRawText()) : null);
        return result.IsEmpty ? null : result;
    }

    /// <inheritdoc cref="ReadContext(JsonElement, JsonElement)"/>
    public static MessageContext? ReadContext(JsonElement item) =>
        item.ValueKind != JsonValueKind.Object ? null
            : ReadContext(item.TryGetProperty("context", out var context) ? context : default, item.TryGetProperty("referral", out var referral) ? referral : default);

    /// <summary>An item's <c>errors</c> array (an <c>unsupported</c> message's, an <c>errors</c> item's) as raw JSON, truncated; null when absent.</summary>
    public static string? ErrorsJsonOf(JsonElement errors) => errors.ValueKind == JsonValueKind.Array ? Truncate(errors.GetRawText()) : null;

    /// <inheritdoc cref="ErrorsJsonOf(JsonElement)"/>
    public static string? ErrorsJson(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("errors", out var errors) ? ErrorsJsonOf(errors) : null;

    /// <summary>
    /// Why a message's content cannot be read, for the types whose shape is checked: a <c>location</c> needs numeric
    /// <c>latitude</c> and <c>longitude</c> (numbers or numeric strings), a <c>contacts</c> message an array of cards.
    /// Null when it can (or its type is not checked).
    /// </summary>
    public static string? ContentProblem(JsonElement content, string type) => type switch
    {
        "location" when content.ValueKind != JsonValueKind.Object => "\"location\" is missing",
        "location" when content.GetDouble("latitude") is null => "\"location.latitude\" is missing or not a number",
        "location" when content.GetDouble("longitude") is null => "\"location.longitude\" is missing or not a number",
        "contacts" when content.ValueKind != JsonValueKind.Array => "\"contacts\" is not an array",
        _ => null,
    };

    public const string ReactionType = "reaction";

    /// <summary>
    /// The reaction a <c>reaction</c> item states (<c>reaction.message_id</c>, <c>reaction.emoji</c>; an absent or empty
    /// emoji removes the side's reaction), or null with the reason it cannot be used.
    /// </summary>
    public static MessageReaction? ReadReaction(JsonElement item, string id, long timestamp, Direction side, out string? reason)
    {
        reason = null;
        if (!item.TryGetProperty("reaction", JsonValueKind.Object, out var reaction)) { reason = "\"reaction\" is missing"; return null; }
        var target = reaction.GetString("message_id");
        if (string.IsNullOrEmpty(target)) { reason = "\"reaction.message_id\" is missing"; return null; }
        if ((reason = IdProblem(target, "reaction.message_id")) is not null) return null;
        return new MessageReaction(target, id, side, timestamp, Short(reaction.GetString("emoji")) ?? "");
    }

    /// <summary><c>to</c>, normalized as <see cref="PhoneNumbers.TryNormalize"/> does; null when absent, false when not a phone number.</summary>
    public static bool TryReadTo(in MessageMembers message, string? knownA, string? knownB, out string? to)
    {
        to = null;
        var raw = PhoneNumberText(message.To, knownA, knownB);
        if (raw is null) return true;
        if (!PhoneNumbers.TryNormalize(raw, out var digits)) return false;
        to = digits;
        return true;
    }

    /// <summary><c>history_context.status</c>, trimmed and upper case (<see cref="NormalizeStatus"/>); the usual values without a new string.</summary>
    public static string? ReadStatus(JsonElement context)
    {
        if (context.TryGetProperty("status", out var p) && p.ValueKind == JsonValueKind.String)
            foreach (var known in KnownStatuses)
                if (p.ValueEquals(known.Utf8)) return known.Text;
        return NormalizeStatus(context.GetString("status"));
    }

    public static QuarantinedItem Quarantine(JsonElement item, string pointer, string reason) => new(pointer, reason, ItemJson(item));

    /// <summary>
    /// The people a value's <c>contacts[]</c> block names (<c>wa_id</c>, <c>user_id</c>, <c>parent_user_id</c>,
    /// <c>profile.username</c>), to complete what an item says of its customer. Entries with a malformed phone or user id,
    /// or neither, are left out (they are not items of their own; the raw archive keeps them).
    /// </summary>
    public static IReadOnlyList<CustomerIdentity> ContactsBlock(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("contacts", JsonValueKind.Array, out var contacts)) return [];
        var people = new List<CustomerIdentity>();
        foreach (var contact in contacts.EnumerateArray())
        {
            if (contact.ValueKind != JsonValueKind.Object) continue;
            var username = contact.TryGetProperty("profile", JsonValueKind.Object, out var profile) ? Short(profile.GetString("username")) : null;
            if (TryReadIdentity(contact, "wa_id", "user_id", "parent_user_id", username, [], out var person, out _) && person is not null)
                people.Add(person);
        }
        return people;
    }

    /// <summary>
    /// The customer an item names in its phone field (<c>to</c>, <c>from</c>, <c>recipient_id</c>, ...) and its user id
    /// fields, completed from <paramref name="block"/> (<see cref="ContactsBlock"/>) by phone or user id. An empty string
    /// counts as absent (providers send <c>""</c> for a hidden phone). False, with the reason, when a field is malformed;
    /// true with a null customer when the item names none. <paramref name="fieldPrefix"/> names where the fields are in reasons.
    /// </summary>
    public static bool TryReadIdentity(JsonElement item, string phoneField, string userIdField, string parentUserIdField, string? username,
        IReadOnlyList<CustomerIdentity> block, out CustomerIdentity? customer, out string? reason, string fieldPrefix = "")
    {
        customer = null;
        reason = null;
        string? phone = null;
        if (item.GetStringOrNumber(phoneField) is { Length: > 0 } rawPhone)
        {
            if (!PhoneNumbers.TryNormalize(rawPhone, out var digits)) { reason = $"\"{fieldPrefix}{phoneField}\" is not a phone number"; return false; }
            phone = digits;
        }
        if (!TryReadUserId(item, userIdField, fieldPrefix, out var userId, out reason)
            || !TryReadUserId(item, parentUserIdField, fieldPrefix, out var parentUserId, out reason))
            return false;
        if (phone is null && userId is null) return true;
        customer = new CustomerIdentity(phone, userId, parentUserId, username);
        foreach (var person in block)
            if ((phone is not null && person.Phone == phone) || (userId is not null && person.UserId == userId))
                customer = customer.Enrich(person);
        return true;
    }

    /// <summary>
    /// A business-scoped user id field: absent or <c>""</c> is none; anything but a valid id is false, with the reason
    /// naming the field as <paramref name="fieldPrefix"/> and <paramref name="field"/>.
    /// </summary>
    public static bool TryReadUserId(JsonElement item, string field, string fieldPrefix, out string? userId, out string? reason)
    {
        reason = null;
        userId = NonEmpty(item.GetString(field));
        if (userId is null || UserIds.IsValid(userId)) return true;
        reason = $"\"{fieldPrefix}{field}\" is not a business-scoped user id";
        return false;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Whether an item of this type is a fact about another message (an edit, a revoke, a reaction) rather than a message.</summary>
    public static bool IsFact(string type) => type is "edit" or "revoke" or ReactionType;

    /// <summary>
    /// The fact an item of a fact type states (<see cref="IsFact"/>): <see cref="ReadReaction"/> (by <paramref name="side"/>)
    /// or <see cref="ReadEditOrRevoke"/>; null with the reason it cannot be used.
    /// </summary>
    public static MessageFact? ReadFact(JsonElement item, string id, long timestamp, string type, Direction side, out string? reason) =>
        type == ReactionType ? ReadReaction(item, id, timestamp, side, out reason) : ReadEditOrRevoke(item, id, timestamp, type, out reason);

    /// <summary>
    /// The fact an <c>edit</c> or <c>revoke</c> item states (the business's in an echo, the customer's on <c>messages</c>:
    /// the same shape), or null with the reason it cannot be used.
    /// </summary>
    public static MessageFact? ReadEditOrRevoke(JsonElement item, string id, long timestamp, string type, out string? reason)
    {
        reason = null;
        if (type == "revoke")
        {
            var revokedId = item.TryGetProperty("revoke", JsonValueKind.Object, out var revoke) ? revoke.GetString("original_message_id") : null;
            if (string.IsNullOrEmpty(revokedId)) reason = "\"revoke.original_message_id\" is missing";
            else reason = IdProblem(revokedId, "revoke.original_message_id");
            return reason is null ? new MessageRevoke(revokedId!, id, timestamp) : null;
        }
        var editedId = item.TryGetProperty("edit", JsonValueKind.Object, out var edit) ? edit.GetString("original_message_id") : null;
        if (string.IsNullOrEmpty(editedId)) { reason = "\"edit.original_message_id\" is missing"; return null; }
        if ((reason = IdProblem(editedId, "edit.original_message_id")) is not null) return null;
        if (!edit.TryGetProperty("message", JsonValueKind.Object, out var edited) || edited.GetString("type") is not { Length: > 0 } editedType)
        {
            reason = "\"edit.message.type\" is missing";
            return null;
        }
        return new MessageEdit(editedId, id, timestamp, Short(editedType), TextBody(edited, editedType), Media(edited, editedType)?.Caption);
    }

    /// <summary>The first error object of an <c>errors</c> array (code, title, message, <c>error_data.details</c>); null when it has none.</summary>
    public static WebhookError? FirstError(JsonElement errors)
    {
        if (errors.ValueKind != JsonValueKind.Array) return null;
        var first = errors.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object);
        if (first.ValueKind != JsonValueKind.Object) return null;
        long? code = first.TryGetInt64("code", out var c) ? c : null;
        var details = first.TryGetProperty("error_data", JsonValueKind.Object, out var data) ? data.GetString("details") : null;
        return new WebhookError(code, Truncate(first.GetString("title")), Truncate(first.GetString("message")), Truncate(details));
    }

    /// <summary>
    /// The content object named after the type ("location": {...}), as raw JSON, or the errors array for "errors" items.
    /// None for a text object that holds only its body: that is <see cref="TextBody"/> already.
    /// </summary>
    public static string? ContentJson(JsonElement message, string type) => ContentJsonOf(Content(message, type), type);

    /// <summary>The member named after the type (the message's content), or <c>default</c>.</summary>
    public static JsonElement Content(JsonElement message, string type) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty(type, out var content) ? content : default;

    /// <summary><see cref="ContentJson"/> of the content member itself.</summary>
    public static string? ContentJsonOf(JsonElement content, string type)
    {
        if (content.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        if (type == "text" && IsBodyOnly(content)) return null;
        // An "errors" item's content is its errors array: kept once, as the message's errors (ErrorsJsonOf).
        if (type == "errors") return null;
        return Truncate(content.GetRawText());
    }

    private static bool IsBodyOnly(JsonElement text)
    {
        if (text.ValueKind != JsonValueKind.Object) return false;
        using var properties = text.EnumerateObject();
        return properties.MoveNext() && properties.Current.NameEquals("body") && properties.Current.Value.ValueKind == JsonValueKind.String
               && !properties.MoveNext();
    }

    public static string? TextBody(JsonElement message, string type) => type == "text" ? TextBodyOf(Content(message, type), type) : null;

    /// <summary><see cref="TextBody"/> of the content member itself.</summary>
    public static string? TextBodyOf(JsonElement content, string type) =>
        type == "text" && content.ValueKind == JsonValueKind.Object ? Truncate(content.GetString("body")) : null;

    public static MediaInfo? Media(JsonElement message, string type) => MediaTypes.Contains(type) ? MediaOf(Content(message, type), type) : null;

    /// <summary><see cref="Media"/> of the content member itself.</summary>
    public static MediaInfo? MediaOf(JsonElement content, string type)
    {
        if (!MediaTypes.Contains(type) || content.ValueKind != JsonValueKind.Object) return null;
        return new MediaInfo(Short(content.GetStringOrNumber("id")), Short(content.GetString("mime_type")), Short(content.GetString("sha256")),
            Truncate(content.GetString("caption")));
    }

    /// <summary>
    /// Reads the fields every message has; on failure says which one is wrong. <paramref name="knownA"/> and
    /// <paramref name="knownB"/>: numbers (digits) that <c>from</c> usually is, to reuse instead of copying.
    /// </summary>
    public static bool TryReadCommon(JsonElement message, out string id, out string from, out long timestamp, out string type, out string? reason,
        string? knownA = null, string? knownB = null, bool fromOptional = false)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            id = from = type = "";
            timestamp = 0;
            reason = "the message is not a JSON object";
            return false;
        }
        return TryReadCommon(MessageMembers.Of(message), out id, out from, out timestamp, out type, out reason, knownA, knownB, fromOptional);
    }

    /// <summary>
    /// <see cref="TryReadCommon(JsonElement, out string, out string, out long, out string, out string?, string?, string?, bool)"/> of an
    /// object's members. With <paramref name="fromOptional"/>, an absent or empty <c>from</c> (a customer known only by
    /// business-scoped user id) reads as <c>""</c> and the caller finds the sender elsewhere (<c>from_user_id</c>).
    /// </summary>
    public static bool TryReadCommon(in MessageMembers message, out string id, out string from, out long timestamp, out string type, out string? reason,
        string? knownA = null, string? knownB = null, bool fromOptional = false)
    {
        id = from = type = "";
        timestamp = 0;
        reason = null;
        if (ReadId(message.Id, out reason) is not { } rawId) return false;
        id = rawId;
        var rawFrom = PhoneNumberText(message.From, knownA, knownB);
        if (string.IsNullOrEmpty(rawFrom) && fromOptional) from = "";
        else if (rawFrom is null) { reason = "\"from\" is missing"; return false; }
        else if (!PhoneNumbers.TryNormalize(rawFrom, out from)) { reason = "\"from\" is not a phone number"; return false; }
        if (!TryReadTimestamp(message.Timestamp, out timestamp, out reason)) return false;
        var rawType = KnownString(message.Type, KnownTypes);
        if (string.IsNullOrEmpty(rawType)) { reason = "\"type\" is missing"; return false; }
        if (rawType.Length > MaxShortChars) { reason = $"\"type\" is longer than {MaxShortChars} characters"; return false; }
        type = rawType;
        return true;
    }

    /// <summary>An item's <c>id</c> (a wamid): a non-empty string that can become part of a key; null, with the reason, otherwise.</summary>
    public static string? ReadId(JsonElement id, out string? reason)
    {
        var value = id.ValueKind == JsonValueKind.String ? id.ReadString() : null;
        reason = string.IsNullOrEmpty(value) ? "\"id\" is missing" : IdProblem(value, "id");
        return reason is null ? value : null;
    }

    /// <summary>An item's <c>timestamp</c>: unix seconds, a JSON number or a numeric string, not negative.</summary>
    public static bool TryReadTimestamp(JsonElement timestamp, out long value, out string? reason)
    {
        value = 0;
        reason = null;
        if (timestamp.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) reason = "\"timestamp\" is missing";
        else if (!JsonValues.TryReadInt64(timestamp, out value) || value < 0) reason = "\"timestamp\" is not a non-negative unix time";
        return reason is null;
    }

    /// <summary>
    /// Why a message id cannot become part of a table key, or null. (Strings arrive well-formed:
    /// <see cref="JsonValues.ReadString(System.Text.Json.JsonElement)"/>.)
    /// </summary>
    public static string? IdProblem(string id, string field) =>
        id.Length > 512 ? $"\"{field}\" is longer than 512 characters" : null;

    public static string? NormalizeStatus(string? status) => string.IsNullOrWhiteSpace(status) ? null : Short(status.Trim().ToUpperInvariant());
}
