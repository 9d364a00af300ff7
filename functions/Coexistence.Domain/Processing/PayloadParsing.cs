using System.Text.Json;
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
    private static readonly string[] KnownTypes =
    [
        "text", "media_placeholder", "image", "video", "audio", "document", "sticker", "reaction", "location", "contacts",
        "errors", "interactive", "button", "template", "unsupported", "edit", "revoke",
    ];

    /// <summary>History statuses as documented (upper case) and as observed (lower case), each with its normal form.</summary>
    private static readonly (string Seen, string Normal)[] KnownStatuses =
    [
        ("READ", "READ"), ("DELIVERED", "DELIVERED"), ("SENT", "SENT"), ("PLAYED", "PLAYED"), ("PENDING", "PENDING"), ("ERROR", "ERROR"),
        ("read", "READ"), ("delivered", "DELIVERED"), ("sent", "SENT"), ("played", "PLAYED"), ("pending", "PENDING"), ("error", "ERROR"),
    ];

    /// <summary>The string value of a property, reusing <paramref name="known"/> when the value equals it.</summary>
    private static string? GetString(JsonElement element, string name, string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p) || p.ValueKind != JsonValueKind.String) return null;
        foreach (var candidate in known)
            if (p.ValueEquals(candidate)) return candidate;
        return p.ReadString();
    }

    /// <summary>
    /// A phone number as text (string or number, as <see cref="JsonValues.GetStringOrNumber"/>), reusing
    /// <paramref name="knownA"/> or <paramref name="knownB"/> (already digits: the business number, the chat) when the
    /// value is one of them, as it is for most messages of a chunk.
    /// </summary>
    private static string? GetPhoneNumber(JsonElement element, string name, string? knownA, string? knownB)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String)
        {
            if (knownA is not null && p.ValueEquals(knownA)) return knownA;
            if (knownB is not null && p.ValueEquals(knownB)) return knownB;
        }
        return element.GetStringOrNumber(name);
    }

    /// <summary><c>to</c>, normalized as <see cref="PhoneNumbers.TryNormalize"/> does; null when absent, false when not a phone number.</summary>
    public static bool TryReadTo(JsonElement message, string? knownA, string? knownB, out string? to)
    {
        to = null;
        var raw = GetPhoneNumber(message, "to", knownA, knownB);
        if (raw is null) return true;
        if (!PhoneNumbers.TryNormalize(raw, out var digits)) return false;
        to = digits;
        return true;
    }

    /// <summary><c>history_context.status</c>, trimmed and upper case (<see cref="NormalizeStatus"/>); the usual values without a new string.</summary>
    public static string? ReadStatus(JsonElement context)
    {
        if (context.TryGetProperty("status", out var p) && p.ValueKind == JsonValueKind.String)
            foreach (var (seen, normal) in KnownStatuses)
                if (p.ValueEquals(seen)) return normal;
        return NormalizeStatus(context.GetString("status"));
    }

    public static QuarantinedItem Quarantine(JsonElement item, string pointer, string reason) => new(pointer, reason, ItemJson(item));

    /// <summary>
    /// The content object named after the type ("location": {...}), as raw JSON, or the errors array for "errors" items.
    /// None for a text object that holds only its body: that is <see cref="TextBody"/> already.
    /// </summary>
    public static string? ContentJson(JsonElement message, string type)
    {
        if (!message.TryGetProperty(type, out var content) || content.ValueKind == JsonValueKind.Null) return null;
        if (type == "text" && IsBodyOnly(content)) return null;
        return Truncate(content.GetRawText());
    }

    private static bool IsBodyOnly(JsonElement text)
    {
        if (text.ValueKind != JsonValueKind.Object) return false;
        using var properties = text.EnumerateObject();
        return properties.MoveNext() && properties.Current.NameEquals("body") && properties.Current.Value.ValueKind == JsonValueKind.String
               && !properties.MoveNext();
    }

    public static string? TextBody(JsonElement message, string type) =>
        type == "text" && message.TryGetProperty("text", JsonValueKind.Object, out var text) ? Truncate(text.GetString("body")) : null;

    public static MediaInfo? Media(JsonElement message, string type)
    {
        if (!MediaTypes.Contains(type) || !message.TryGetProperty(type, JsonValueKind.Object, out var media)) return null;
        return new MediaInfo(Short(media.GetStringOrNumber("id")), Short(media.GetString("mime_type")), Short(media.GetString("sha256")), Truncate(media.GetString("caption")));
    }

    /// <summary>
    /// Reads the fields every message has; on failure says which one is wrong. <paramref name="knownA"/> and
    /// <paramref name="knownB"/>: numbers (digits) that <c>from</c> usually is, to reuse instead of copying.
    /// </summary>
    public static bool TryReadCommon(JsonElement message, out string id, out string from, out long timestamp, out string type, out string? reason,
        string? knownA = null, string? knownB = null)
    {
        id = from = type = "";
        timestamp = 0;
        reason = null;
        if (message.ValueKind != JsonValueKind.Object) { reason = "the message is not a JSON object"; return false; }
        var rawId = message.GetString("id");
        if (string.IsNullOrEmpty(rawId)) { reason = "\"id\" is missing"; return false; }
        if (IdProblem(rawId, "id") is { } idProblem) { reason = idProblem; return false; }
        id = rawId;
        var rawFrom = GetPhoneNumber(message, "from", knownA, knownB);
        if (rawFrom is null) { reason = "\"from\" is missing"; return false; }
        if (!PhoneNumbers.TryNormalize(rawFrom, out from)) { reason = "\"from\" is not a phone number"; return false; }
        if (!message.Has("timestamp")) { reason = "\"timestamp\" is missing"; return false; }
        if (!message.TryGetInt64("timestamp", out timestamp) || timestamp < 0) { reason = "\"timestamp\" is not a non-negative unix time"; return false; }
        var rawType = GetString(message, "type", KnownTypes);
        if (string.IsNullOrEmpty(rawType)) { reason = "\"type\" is missing"; return false; }
        if (rawType.Length > MaxShortChars) { reason = $"\"type\" is longer than {MaxShortChars} characters"; return false; }
        type = rawType;
        return true;
    }

    /// <summary>Why a message id cannot become part of a table key, or null. (Strings arrive well-formed: <see cref="JsonValues.ReadString"/>.)</summary>
    public static string? IdProblem(string id, string field) =>
        id.Length > 512 ? $"\"{field}\" is longer than 512 characters" : null;

    public static string? NormalizeStatus(string? status) => string.IsNullOrWhiteSpace(status) ? null : Short(status.Trim().ToUpperInvariant());
}
