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

    public static QuarantinedItem Quarantine(JsonElement item, string pointer, string reason) => new(pointer, reason, ItemJson(item));

    /// <summary>The content object named after the type ("text": {...}), as raw JSON, or the errors array for "errors" items.</summary>
    public static string? ContentJson(JsonElement message, string type) =>
        message.TryGetProperty(type, out var content) && content.ValueKind != JsonValueKind.Null ? Truncate(content.GetRawText()) : null;

    public static string? TextBody(JsonElement message, string type) =>
        type == "text" && message.TryGetProperty("text", JsonValueKind.Object, out var text) ? Truncate(text.GetString("body")) : null;

    public static MediaInfo? Media(JsonElement message, string type)
    {
        if (!MediaTypes.Contains(type) || !message.TryGetProperty(type, JsonValueKind.Object, out var media)) return null;
        return new MediaInfo(Short(media.GetStringOrNumber("id")), Short(media.GetString("mime_type")), Short(media.GetString("sha256")), Truncate(media.GetString("caption")));
    }

    /// <summary>Reads the fields every message has; on failure says which one is wrong.</summary>
    public static bool TryReadCommon(JsonElement message, out string id, out string from, out long timestamp, out string type, out string? reason)
    {
        id = from = type = "";
        timestamp = 0;
        reason = null;
        if (message.ValueKind != JsonValueKind.Object) { reason = "the message is not a JSON object"; return false; }
        var rawId = message.GetString("id");
        if (string.IsNullOrEmpty(rawId)) { reason = "\"id\" is missing"; return false; }
        if (IdProblem(rawId, "id") is { } idProblem) { reason = idProblem; return false; }
        id = rawId;
        var rawFrom = message.GetStringOrNumber("from");
        if (rawFrom is null) { reason = "\"from\" is missing"; return false; }
        if (!PhoneNumbers.TryNormalize(rawFrom, out from)) { reason = "\"from\" is not a phone number"; return false; }
        if (!message.Has("timestamp")) { reason = "\"timestamp\" is missing"; return false; }
        if (!message.TryGetInt64("timestamp", out timestamp) || timestamp < 0) { reason = "\"timestamp\" is not a non-negative unix time"; return false; }
        var rawType = message.GetString("type");
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
