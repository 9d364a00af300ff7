using System.Text.Json;
using Coexistence.Http;

namespace Coexistence.Webhooks;

/// <summary>
/// Recognises the two envelopes a coexistence webhook arrives in and lists every change in it:
/// <list type="bullet">
/// <item>partner style <c>{"id", "event", "data": {"metadata", ...}}</c>: one change;</item>
/// <item>Meta style <c>{"object", "entry": [{"id", "changes": [{"field", "value"}]}]}</c>: every change of every entry.</item>
/// </list>
/// Only what the door must know is checked here: the envelope, each change's kind and
/// <c>phone_number_id</c>, and for kinds we process, that their item array is there. Problems inside
/// single items are the consumers' business (they quarantine the item, not the webhook).
/// The whole body is validated all the same, duplicate property names included (a body whose keys are ambiguous is
/// refused), in one <see cref="System.Text.Json.Utf8JsonReader"/> pass that keeps only the envelope's skeleton
/// (<see cref="EnvelopeSkeleton"/>); the rules below then read that skeleton.
/// </summary>
internal static class WebhookEnvelopeReader
{
    public const int MaxDepth = 64;

    /// <summary>
    /// Event and account ids travel in every queue message: a long one would make the message too large for
    /// the queue (and the sender would retry a 5xx for days). Kinds are short names; the same limit applies.
    /// </summary>
    public const int MaxIdLength = 256;

    /// <summary>Never throws: whatever the body, a reading or the one problem that makes it unacceptable.</summary>
    public static WebhookReading Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty || body.Span.Trim(" \t\r\n"u8).IsEmpty)
            return WebhookReading.Rejected(new(WebhookProblems.EmptyBody, "The request body is empty", "A webhook body must be a JSON object."));

        // The whole body is read before any envelope rule, so a body that is malformed anywhere (or names a
        // property twice) is refused as such even when its envelope is wrong too.
        EnvelopeNode root;
        try
        {
            root = EnvelopeSkeleton.Read(body);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return WebhookReading.Rejected(new(WebhookProblems.MalformedJson, "The request body is not valid JSON",
                $"The body could not be parsed as JSON{where}: {FirstSentence(e.Message)}"));
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json cannot turn a property name with an escaped lone surrogate ("\ud800") into text; it throws
            // where a syntax error would. Before this was caught, such a body made the door answer 500 (retried for days).
            return WebhookReading.Rejected(new(WebhookProblems.MalformedJson, "The request body is not valid JSON",
                "The body could not be parsed as JSON: a property name holds an escaped UTF-16 surrogate without its pair."));
        }

        try
        {
            return ReadEnvelope(root);
        }
        catch (InvalidOperationException)
        {
            // A string the envelope reads is not valid UTF-8 (only for callers that did not check the body first).
            return WebhookReading.Rejected(WebhookProblems.NotUtf8());
        }
    }

    private static WebhookReading ReadEnvelope(EnvelopeNode root)
    {
        if (root.Kind != JsonValueKind.Object)
            return WebhookReading.Rejected(new(WebhookProblems.UnrecognisedEnvelope, "The body is not a webhook envelope",
                $"The body is a JSON {root.Kind.ToString().ToLowerInvariant()}, not an object.", ""));

        if (root.Has("entry") || root.Has("object"))
            return ReadMetaEnvelope(root);
        if (root.Has("event") || root.Has("data"))
            return ReadPartnerEnvelope(root);

        return WebhookReading.Rejected(new(WebhookProblems.UnrecognisedEnvelope, "The body is not a webhook envelope",
            "Expected either a partner envelope {\"event\", \"data\"} or a Meta envelope {\"object\", \"entry\"}.", ""));
    }

    private static WebhookReading ReadPartnerEnvelope(EnvelopeNode root)
    {
        // Each string is read once: every ReadString is a new string, and the door counts its allocations.
        var eventName = root.TryGetProperty("event", JsonValueKind.String, out var eventElement) ? eventElement.ReadString() : null;
        if (string.IsNullOrEmpty(eventName))
            return Reject(root.Has("event") ? WebhookProblems.Invalid("/event", "\"event\" must be a non-empty string")
                                            : WebhookProblems.Missing("/event", "\"event\""));
        if (!root.TryGetProperty("data", JsonValueKind.Object, out var data))
            return Reject(root.Has("data") ? WebhookProblems.Invalid("/data", "\"data\" must be an object")
                                           : WebhookProblems.Missing("/data", "\"data\""));

        if (eventName.Length > MaxIdLength) return Reject(WebhookProblems.Invalid("/event", $"\"event\" must be at most {MaxIdLength} characters"));
        var eventId = root.GetStringOrNumber("id");
        var wabaId = data.GetStringOrNumber("id");
        if (eventId?.Length > MaxIdLength) return Reject(WebhookProblems.Invalid("/id", $"\"id\" must be at most {MaxIdLength} characters"));
        if (wabaId?.Length > MaxIdLength) return Reject(WebhookProblems.Invalid("/data/id", $"\"id\" must be at most {MaxIdLength} characters"));
        var change = ReadChange(0, eventName, data, "/data", wabaId, eventId, entryTime: null, out var problem);
        return problem is null ? new WebhookReading([change!], null) : Reject(problem);
    }

    private static WebhookReading ReadMetaEnvelope(EnvelopeNode root)
    {
        if (!root.TryGetProperty("object", JsonValueKind.String, out var objectElement))
            return Reject(root.Has("object") ? WebhookProblems.Invalid("/object", "\"object\" must be a string")
                                             : WebhookProblems.Missing("/object", "\"object\""));
        if (objectElement.ReadString() != "whatsapp_business_account")
            return Reject(WebhookProblems.Invalid("/object", $"\"object\" must be \"whatsapp_business_account\""));
        if (!root.TryGetProperty("entry", JsonValueKind.Array, out var entries))
            return Reject(root.Has("entry") ? WebhookProblems.Invalid("/entry", "\"entry\" must be an array")
                                            : WebhookProblems.Missing("/entry", "\"entry\""));
        if (!entries.FirstChild.Exists)
            return Reject(WebhookProblems.Invalid("/entry", "\"entry\" must not be empty"));

        var changes = new List<WebhookChange>();
        var entryIndex = 0;
        for (var entry = entries.FirstChild; entry.Exists; entry = entry.Next)
        {
            var entryPointer = $"/entry/{entryIndex}";
            if (entry.Kind != JsonValueKind.Object)
                return Reject(WebhookProblems.Invalid(entryPointer, "each entry must be an object"));
            if (!entry.TryGetProperty("changes", JsonValueKind.Array, out var entryChanges))
                return Reject(entry.Has("changes") ? WebhookProblems.Invalid(entryPointer + "/changes", "\"changes\" must be an array")
                                                   : WebhookProblems.Missing(entryPointer + "/changes", "\"changes\""));
            var wabaId = entry.GetStringOrNumber("id");
            if (wabaId?.Length > MaxIdLength) return Reject(WebhookProblems.Invalid(entryPointer + "/id", $"\"id\" must be at most {MaxIdLength} characters"));
            var changeIndex = 0;
            for (var change = entryChanges.FirstChild; change.Exists; change = change.Next)
            {
                var changePointer = $"{entryPointer}/changes/{changeIndex}";
                if (change.Kind != JsonValueKind.Object)
                    return Reject(WebhookProblems.Invalid(changePointer, "each change must be an object"));
                var fieldName = change.TryGetProperty("field", JsonValueKind.String, out var field) ? field.ReadString() : null;
                if (string.IsNullOrEmpty(fieldName))
                    return Reject(change.Has("field") ? WebhookProblems.Invalid(changePointer + "/field", "\"field\" must be a non-empty string")
                                                      : WebhookProblems.Missing(changePointer + "/field", "\"field\""));
                if (!change.TryGetProperty("value", JsonValueKind.Object, out var value))
                    return Reject(change.Has("value") ? WebhookProblems.Invalid(changePointer + "/value", "\"value\" must be an object")
                                                      : WebhookProblems.Missing(changePointer + "/value", "\"value\""));

                if (fieldName.Length > MaxIdLength)
                    return Reject(WebhookProblems.Invalid(changePointer + "/field", $"\"field\" must be at most {MaxIdLength} characters"));
                // The entry's time only where it is used (an account event's time), so the door reads no more for the rest.
                var entryTime = fieldName == WebhookKinds.AccountUpdateField && long.TryParse(entry.GetStringOrNumber("time"), out var t) && t >= 0 ? t : (long?)null;
                var read = ReadChange(changes.Count, fieldName, value, changePointer + "/value", wabaId, null, entryTime, out var problem);
                if (problem is not null) return Reject(problem);
                changes.Add(read!);
                changeIndex++;
            }
            entryIndex++;
        }
        return new WebhookReading(changes, null);
    }

    private static WebhookChange? ReadChange(int index, string field, EnvelopeNode value, string pointer, string? wabaId, string? eventId,
        long? entryTime, out Problem? problem)
    {
        problem = null;
        var kind = WebhookKinds.FromField(field);
        var metadataPointer = pointer + "/metadata";
        var hasMetadata = value.TryGetProperty("metadata", JsonValueKind.Object, out var metadata);

        // The ordinary messages field was archived only before it was processed, and a sender's odd shape of it must
        // not start being refused: one that cannot be routed (no metadata, no display number, no messages or statuses)
        // stays archived only.
        if (kind == WebhookKind.Messages && !IsRoutable(value, hasMetadata, metadata)) kind = null;

        // account_update names no number: it is routed by its WABA (the entry's or data's id), or by a phone_number_id
        // when a sender adds metadata; one naming neither cannot be attributed and stays archived only.
        if (kind == WebhookKind.AccountUpdate) return ReadAccountUpdate(index, field, value, pointer, wabaId, eventId, entryTime, hasMetadata, metadata, out problem);

        // Kinds we only archive (messages, statuses, account_update, ...) need no metadata, but a
        // phone_number_id that is present still names the archive folder, so it must be safe.
        if (kind is null)
        {
            var id = hasMetadata ? metadata.GetStringOrNumber("phone_number_id") : null;
            if (id is not null && !PhoneNumbers.IsValidPhoneNumberId(id))
            {
                problem = WebhookProblems.Invalid(metadataPointer + "/phone_number_id", "\"phone_number_id\" must be 1 to 32 digits");
                return null;
            }
            return new WebhookChange(index, field, null, id, null, wabaId, eventId, pointer, value.Raw, entryTime);
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
            var offending = arrays.FirstOrDefault(value.Has);
            problem = offending is not null ? WebhookProblems.Invalid($"{pointer}/{offending}", $"{expected} must be an array")
                                            : WebhookProblems.Missing($"{pointer}/{arrays[0]}", $"The {expected} of a {field} webhook");
            return null;
        }

        return new WebhookChange(index, field, kind, phoneNumberId, displayDigits, wabaId, eventId, pointer, value.Raw, entryTime);
    }

    private static WebhookChange? ReadAccountUpdate(int index, string field, EnvelopeNode value, string pointer, string? wabaId, string? eventId,
        long? entryTime, bool hasMetadata, EnvelopeNode metadata, out Problem? problem)
    {
        problem = null;
        var id = hasMetadata ? metadata.GetStringOrNumber("phone_number_id") : null;
        if (id is not null && !PhoneNumbers.IsValidPhoneNumberId(id))
        {
            problem = WebhookProblems.Invalid(pointer + "/metadata/phone_number_id", "\"phone_number_id\" must be 1 to 32 digits");
            return null;
        }
        var display = hasMetadata && PhoneNumbers.TryNormalize(metadata.GetStringOrNumber("display_phone_number"), out var digits) ? digits : null;
        var kind = wabaId is not null || id is not null ? WebhookKind.AccountUpdate : (WebhookKind?)null;
        return new WebhookChange(index, field, kind, id, display, wabaId, eventId, pointer, value.Raw, entryTime);
    }

    private static bool IsRoutable(EnvelopeNode value, bool hasMetadata, EnvelopeNode metadata) =>
        hasMetadata && metadata.GetStringOrNumber("phone_number_id") is not null
        && PhoneNumbers.TryNormalize(metadata.GetStringOrNumber("display_phone_number"), out _)
        && HasAnyArray(value, WebhookKind.Messages.ItemArrays());

    /// <summary>A loop, not LINQ: no closure per change on the door's path.</summary>
    private static bool HasAnyArray(EnvelopeNode value, IReadOnlyList<string> names)
    {
        foreach (var name in names)
            if (value.TryGetProperty(name, JsonValueKind.Array, out _)) return true;
        return false;
    }

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
