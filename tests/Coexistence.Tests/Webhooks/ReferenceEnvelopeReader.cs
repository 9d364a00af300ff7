using System.Text.Json;

namespace Coexistence.Tests.Webhooks;

// REFERENCE ORACLE, not production code. This is WebhookEnvelopeReader as it was before it became a single
// Utf8JsonReader pass (issue #10): a JsonDocument with AllowDuplicateProperties = false over the whole body,
// then the envelope rules on JsonElement. EnvelopeDifferentialTests require the production reader to give
// exactly the same reading as this one for every body. Change it only to follow a deliberate change of the
// door's decisions, never to make the differential test pass.

/// <summary>
/// Recognises the two envelopes a coexistence webhook arrives in and lists every change in it:
/// <list type="bullet">
/// <item>partner style <c>{"id", "event", "data": {"metadata", ...}}</c>: one change;</item>
/// <item>Meta style <c>{"object", "entry": [{"id", "changes": [{"field", "value"}]}]}</c>: every change of every entry.</item>
/// </list>
/// Only what the door must know is checked here: the envelope, each change's kind and
/// <c>phone_number_id</c>, and for kinds we process, that their item array is there. Problems inside
/// single items are the consumers' business (they quarantine the item, not the webhook).
/// </summary>
internal static class ReferenceEnvelopeReader
{
    public const int MaxDepth = 64;

    /// <summary>
    /// Event and account ids travel in every queue message: a long one would make the message too large for
    /// the queue (and the sender would retry a 5xx for days). Kinds are short names; the same limit applies.
    /// </summary>
    public const int MaxIdLength = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static WebhookReading Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty || body.Span.Trim(" \t\r\n"u8).IsEmpty)
            return WebhookReading.Rejected(new(WebhookProblems.EmptyBody, "The request body is empty", "A webhook body must be a JSON object."));

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return WebhookReading.Rejected(new(WebhookProblems.MalformedJson, "The request body is not valid JSON",
                $"The body could not be parsed as JSON{where}: {FirstSentence(e.Message)}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return WebhookReading.Rejected(new(WebhookProblems.UnrecognisedEnvelope, "The body is not a webhook envelope",
                    $"The body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object.", ""));

            if (root.Has("entry") || root.Has("object"))
                return ReadMetaEnvelope(root, body);
            if (root.Has("event") || root.Has("data"))
                return ReadPartnerEnvelope(root, body);

            return WebhookReading.Rejected(new(WebhookProblems.UnrecognisedEnvelope, "The body is not a webhook envelope",
                "Expected either a partner envelope {\"event\", \"data\"} or a Meta envelope {\"object\", \"entry\"}.", ""));
        }
    }

    private static WebhookReading ReadPartnerEnvelope(JsonElement root, ReadOnlyMemory<byte> body)
    {
        if (!root.TryGetProperty("event", JsonValueKind.String, out var eventElement) || string.IsNullOrEmpty(eventElement.ReadString()))
            return Reject(root.Has("event") ? WebhookProblems.Invalid("/event", "\"event\" must be a non-empty string")
                                            : WebhookProblems.Missing("/event", "\"event\""));
        if (!root.TryGetProperty("data", JsonValueKind.Object, out var data))
            return Reject(root.Has("data") ? WebhookProblems.Invalid("/data", "\"data\" must be an object")
                                           : WebhookProblems.Missing("/data", "\"data\""));

        if (eventElement.ReadString().Length > MaxIdLength) return Reject(WebhookProblems.Invalid("/event", $"\"event\" must be at most {MaxIdLength} characters"));
        var eventId = root.GetStringOrNumber("id");
        var wabaId = data.GetStringOrNumber("id");
        if (eventId?.Length > MaxIdLength) return Reject(WebhookProblems.Invalid("/id", $"\"id\" must be at most {MaxIdLength} characters"));
        if (wabaId?.Length > MaxIdLength) return Reject(WebhookProblems.Invalid("/data/id", $"\"id\" must be at most {MaxIdLength} characters"));
        var change = ReadChange(0, eventElement.ReadString()!, data, "/data", wabaId, eventId, body, out var problem);
        return problem is null ? new WebhookReading([change!], null) : Reject(problem);
    }

    private static WebhookReading ReadMetaEnvelope(JsonElement root, ReadOnlyMemory<byte> body)
    {
        if (!root.TryGetProperty("object", JsonValueKind.String, out var objectElement))
            return Reject(root.Has("object") ? WebhookProblems.Invalid("/object", "\"object\" must be a string")
                                             : WebhookProblems.Missing("/object", "\"object\""));
        if (objectElement.ReadString() != "whatsapp_business_account")
            return Reject(WebhookProblems.Invalid("/object", $"\"object\" must be \"whatsapp_business_account\""));
        if (!root.TryGetProperty("entry", JsonValueKind.Array, out var entries))
            return Reject(root.Has("entry") ? WebhookProblems.Invalid("/entry", "\"entry\" must be an array")
                                            : WebhookProblems.Missing("/entry", "\"entry\""));
        if (entries.GetArrayLength() == 0)
            return Reject(WebhookProblems.Invalid("/entry", "\"entry\" must not be empty"));

        var changes = new List<WebhookChange>();
        var entryIndex = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var entryPointer = $"/entry/{entryIndex}";
            if (entry.ValueKind != JsonValueKind.Object)
                return Reject(WebhookProblems.Invalid(entryPointer, "each entry must be an object"));
            if (!entry.TryGetProperty("changes", JsonValueKind.Array, out var entryChanges))
                return Reject(entry.Has("changes") ? WebhookProblems.Invalid(entryPointer + "/changes", "\"changes\" must be an array")
                                                   : WebhookProblems.Missing(entryPointer + "/changes", "\"changes\""));
            var wabaId = entry.GetStringOrNumber("id");
            if (wabaId?.Length > MaxIdLength) return Reject(WebhookProblems.Invalid(entryPointer + "/id", $"\"id\" must be at most {MaxIdLength} characters"));
            var changeIndex = 0;
            foreach (var change in entryChanges.EnumerateArray())
            {
                var changePointer = $"{entryPointer}/changes/{changeIndex}";
                if (change.ValueKind != JsonValueKind.Object)
                    return Reject(WebhookProblems.Invalid(changePointer, "each change must be an object"));
                if (!change.TryGetProperty("field", JsonValueKind.String, out var field) || string.IsNullOrEmpty(field.ReadString()))
                    return Reject(change.Has("field") ? WebhookProblems.Invalid(changePointer + "/field", "\"field\" must be a non-empty string")
                                                      : WebhookProblems.Missing(changePointer + "/field", "\"field\""));
                if (!change.TryGetProperty("value", JsonValueKind.Object, out var value))
                    return Reject(change.Has("value") ? WebhookProblems.Invalid(changePointer + "/value", "\"value\" must be an object")
                                                      : WebhookProblems.Missing(changePointer + "/value", "\"value\""));

                if (field.ReadString().Length > MaxIdLength)
                    return Reject(WebhookProblems.Invalid(changePointer + "/field", $"\"field\" must be at most {MaxIdLength} characters"));
                var entryTime = long.TryParse(entry.GetStringOrNumber("time"), out var t) && t >= 0 ? t : (long?)null;
                var read = ReadChange(changes.Count, field.ReadString()!, value, changePointer + "/value", wabaId, null, body, out var problem,
                    field.ReadString() == "account_update" ? entryTime : null);
                if (problem is not null) return Reject(problem);
                changes.Add(read!);
                changeIndex++;
            }
            entryIndex++;
        }
        return new WebhookReading(changes, null);
    }

    private static WebhookChange? ReadChange(int index, string field, JsonElement value, string pointer, string? wabaId, string? eventId,
        ReadOnlyMemory<byte> body, out Problem? problem, long? entryTime = null)
    {
        problem = null;
        var kind = WebhookKinds.FromField(field);
        var metadataPointer = pointer + "/metadata";
        var hasMetadata = value.TryGetProperty("metadata", JsonValueKind.Object, out var metadata);

        // A messages change that cannot be routed stays archived only (as before the field was processed).
        if (kind == WebhookKind.Messages
            && !(hasMetadata && metadata.GetStringOrNumber("phone_number_id") is not null
                 && PhoneNumbers.TryNormalize(metadata.GetStringOrNumber("display_phone_number"), out _)
                 && WebhookKind.Messages.ItemArrays().Any(a => value.TryGetProperty(a, JsonValueKind.Array, out _))))
            kind = null;

        // Kinds we only archive (messages, statuses, ...) need no metadata, nor does account_update (routed by its WABA, or
        // by a phone_number_id; neither: archived only); a phone_number_id that is present still names the archive folder.
        if (kind is null or WebhookKind.AccountUpdate)
        {
            var id = hasMetadata ? metadata.GetStringOrNumber("phone_number_id") : null;
            if (id is not null && !PhoneNumbers.IsValidPhoneNumberId(id))
            {
                problem = WebhookProblems.Invalid(metadataPointer + "/phone_number_id", "\"phone_number_id\" must be 1 to 32 digits");
                return null;
            }
            if (kind is null) return new WebhookChange(index, field, null, id, null, wabaId, eventId, pointer, JsonValues.RawSlice(body, value));
            var accountDisplay = hasMetadata && PhoneNumbers.TryNormalize(metadata.GetStringOrNumber("display_phone_number"), out var d) ? d : null;
            return new WebhookChange(index, field, wabaId is not null || id is not null ? kind : null, id, accountDisplay, wabaId, eventId, pointer,
                JsonValues.RawSlice(body, value), entryTime);
        }

        if (!hasMetadata)
        {
            problem = value.Has("metadata") ? WebhookProblems.Invalid(metadataPointer, "\"metadata\" must be an object")
                                            : WebhookProblems.Missing(metadataPointer, "\"metadata\"");
            return null;
        }
        var phoneNumberId = metadata.GetStringOrNumber("phone_number_id");
        if (phoneNumberId is null)
        {
            problem = WebhookProblems.Missing(metadataPointer + "/phone_number_id", "\"phone_number_id\"");
            return null;
        }
        if (!PhoneNumbers.IsValidPhoneNumberId(phoneNumberId))
        {
            problem = WebhookProblems.Invalid(metadataPointer + "/phone_number_id", "\"phone_number_id\" must be 1 to 32 digits");
            return null;
        }
        var display = metadata.GetStringOrNumber("display_phone_number");
        if (display is null)
        {
            problem = WebhookProblems.Missing(metadataPointer + "/display_phone_number", "\"display_phone_number\"");
            return null;
        }
        if (!PhoneNumbers.TryNormalize(display, out var displayDigits))
        {
            problem = WebhookProblems.Invalid(metadataPointer + "/display_phone_number",
                "\"display_phone_number\" must be a phone number (digits, optionally with '+', spaces or dashes)");
            return null;
        }

        // A kind's items come in one array, or for history in any of several (WebhookKinds.ItemArrays): at least one must be there.
        var arrays = kind.Value.ItemArrays();
        if (!HasAnyArray(value, arrays))
        {
            var expected = arrays.Count == 1 ? $"\"{arrays[0]}\" array"
                : string.Join(", ", arrays.SkipLast(1).Select(a => $"\"{a}\"")) + $" or \"{arrays[^1]}\" array";
            var offending = arrays.FirstOrDefault(a => value.Has(a));
            problem = offending is not null ? WebhookProblems.Invalid($"{pointer}/{offending}", $"{expected} must be an array")
                                            : WebhookProblems.Missing($"{pointer}/{arrays[0]}", $"The {expected} of a {field} webhook");
            return null;
        }

        return new WebhookChange(index, field, kind, phoneNumberId, displayDigits, wabaId, eventId, pointer, JsonValues.RawSlice(body, value));
    }

    private static bool HasAnyArray(JsonElement value, IReadOnlyList<string> names) =>
        names.Any(name => value.TryGetProperty(name, JsonValueKind.Array, out _));

    private static WebhookReading Reject(Problem problem) => WebhookReading.Rejected(problem);

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends " LineNumber: .. | BytePositionInLine: .." (and " Path: ..."); the detail already says where.
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
        }
        return message.TrimEnd();
    }
}
