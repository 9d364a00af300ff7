using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Coexistence.Webhooks;

namespace Coexistence.Changes;

/// <summary>Writes and reads <see cref="ChangeMessage"/> as JSON (docs/queue-messages.md).</summary>
internal static class ChangeMessageFormat
{
    /// <summary>A W3C traceparent is 55 characters; room for a future version of the header.</summary>
    public const int MaxTraceParentLength = 128;

    public static byte[] Serialize(ChangeMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Payload.Length + 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", ChangeMessage.Version);
            writer.WriteString("kind", message.Kind.ToField());
            WriteOptional(writer, "phoneNumberId", message.PhoneNumberId);
            WriteOptional(writer, "displayPhoneNumber", message.DisplayPhoneNumber);
            WriteOptional(writer, "wabaId", message.WabaId);
            WriteOptional(writer, "eventId", message.EventId);
            writer.WriteString("webhookId", message.WebhookId);
            writer.WriteNumber("changeIndex", message.ChangeIndex);
            writer.WriteString("receivedAt", message.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("archiveBlob", message.ArchiveBlob);
            if (message.OccurredAt is { } occurredAt) writer.WriteNumber("occurredAt", occurredAt);
            // Only when present: a message without a trace is byte for byte what it was before the field existed.
            if (message.TraceParent is not null)
                writer.WriteString("traceParent", message.TraceParent);
            if (message.PayloadRange is { } range)
            {
                writer.WriteStartObject("payloadRange");
                writer.WriteNumber("offset", range.Offset);
                writer.WriteNumber("length", range.Length);
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("payload");
                writer.WriteRawValue(message.Payload.Span, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a queue message; a message this version cannot read is a permanent failure, never a retry.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> text, out ChangeMessage? message, out string? error)
    {
        message = null;
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) { error = "not a JSON object"; return false; }
            if (!root.TryGetInt64("version", out var version)) { error = "\"version\" is missing"; return false; }
            if (version != ChangeMessage.Version) { error = $"unsupported version {version}"; return false; }

            var kindField = root.GetString("kind");
            if (kindField is null || WebhookKinds.FromField(kindField) is not { } kind) { error = $"unknown kind \"{kindField}\""; return false; }
            // An account event names a WABA and perhaps a number; every other kind names a number.
            var accountEvent = kind == WebhookKind.AccountUpdate;
            var phoneNumberId = root.GetString("phoneNumberId");
            if (!(accountEvent && phoneNumberId is null) && !PhoneNumbers.IsValidPhoneNumberId(phoneNumberId))
            { error = "\"phoneNumberId\" is missing or not digits"; return false; }
            var display = root.GetString("displayPhoneNumber");
            string? displayDigits = null;
            if (!(accountEvent && display is null) && !PhoneNumbers.TryNormalize(display, out displayDigits))
            { error = "\"displayPhoneNumber\" is missing or invalid"; return false; }
            if (accountEvent && phoneNumberId is null && root.GetStringOrNumber("wabaId") is null)
            { error = "an account_update message names neither \"phoneNumberId\" nor \"wabaId\""; return false; }
            var webhookId = root.GetString("webhookId");
            if (string.IsNullOrEmpty(webhookId)) { error = "\"webhookId\" is missing"; return false; }
            if (!root.TryGetInt64("changeIndex", out var changeIndex) || changeIndex < 0) { error = "\"changeIndex\" is missing"; return false; }
            if (!DateTimeOffset.TryParse(root.GetString("receivedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var receivedAt))
            { error = "\"receivedAt\" is missing or not a date"; return false; }
            var archiveBlob = root.GetString("archiveBlob");
            if (string.IsNullOrEmpty(archiveBlob)) { error = "\"archiveBlob\" is missing"; return false; }

            // Where the value is: inline, or a range of the archive blob; exactly one of them.
            PayloadRange? payloadRange = null;
            if (root.TryGetProperty("payloadRange", out var rangeElement))
            {
                if (!TryReadRange(rangeElement, out var range)) { error = "\"payloadRange\" is not {\"offset\": N >= 0, \"length\": M > 0}"; return false; }
                payloadRange = range;
            }
            var hasPayload = root.TryGetProperty("payload", JsonValueKind.Object, out var payloadElement);
            if (payloadRange is null && !hasPayload) { error = "neither \"payload\" nor \"payloadRange\" is present"; return false; }
            if (payloadRange is not null && hasPayload) { error = "both \"payload\" and \"payloadRange\" are present"; return false; }
            var payload = hasPayload ? JsonValues.RawSlice(text, payloadElement) : default;

            message = new ChangeMessage
            {
                Kind = kind,
                PhoneNumberId = phoneNumberId,
                DisplayPhoneNumber = displayDigits,
                WabaId = root.GetStringOrNumber("wabaId"),
                EventId = root.GetStringOrNumber("eventId"),
                WebhookId = webhookId,
                ChangeIndex = (int)changeIndex,
                ReceivedAt = receivedAt.ToUniversalTime(),
                ArchiveBlob = archiveBlob,
                OccurredAt = root.TryGetInt64("occurredAt", out var occurredAt) && occurredAt >= 0 ? occurredAt : null,
                Payload = payload,
                PayloadRange = payloadRange,
                // Telemetry only: a malformed value is dropped, never a reason to refuse the message.
                TraceParent = root.GetString("traceParent") is { Length: > 0 and <= MaxTraceParentLength } traceParent ? traceParent : null,
            };
            return true;
        }
    }

    private static bool TryReadRange(JsonElement element, out PayloadRange range)
    {
        range = default;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("offset", out var offset) || offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt64(out var start) || start < 0
            || !element.TryGetProperty("length", out var length) || length.ValueKind != JsonValueKind.Number || !length.TryGetInt64(out var count) || count <= 0
            || start > long.MaxValue - count)
            return false;
        range = new PayloadRange(start, count);
        return true;
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }
}
