using System.Text.Json;
using Coexistence.Webhooks;

namespace Coexistence.Archive;

/// <summary>
/// Takes erased customers out of webhook JSON (a whole body, or one change's value) in place, without changing its
/// length: every item that names one of them is overwritten with spaces, with the comma that separated it, so the rest
/// of the bytes stay where they were (queue messages that point at a byte range of an archived body still find their
/// value, valid JSON). Items are the elements of the arrays <c>threads</c>, <c>messages</c>, <c>message_echoes</c>,
/// <c>statuses</c>, <c>state_sync</c> and <c>contacts</c> (at any depth); an item names a customer when one of its
/// identity fields (<c>from</c>, <c>to</c>, <c>wa_id</c>, <c>recipient_id</c>, <c>phone_number</c>, the user id fields;
/// a thread's <c>id</c>), on the item or on an object directly in it (<c>context</c>, <c>contact</c>, <c>system</c>,
/// <c>profile</c>), is one of the customer ids: a phone in digits (the field normalized by
/// <see cref="PhoneNumbers.TryNormalize"/>) or a BSUID. Message text is not searched: a message that quotes a
/// customer's number in its body belongs to its sender.
/// </summary>
internal static class CustomerRedaction
{
    private static readonly HashSet<string> ItemArrays = new(StringComparer.Ordinal)
        { "threads", "messages", "message_echoes", "statuses", "state_sync", "contacts" };

    private static readonly HashSet<string> IdentityFields = new(StringComparer.Ordinal)
    {
        "from", "to", "wa_id", "new_wa_id", "user_id", "parent_user_id", "previous_user_id", "from_user_id", "from_parent_user_id",
        "to_user_id", "to_parent_user_id", "recipient_id", "recipient_user_id", "recipient_parent_user_id", "phone_number",
    };

    private const byte Space = (byte)' ';

    /// <summary>Blanks the items of <paramref name="json"/> that name one of <paramref name="customerIds"/>; how many it blanked.</summary>
    public static int RedactInPlace(byte[] json, IReadOnlySet<string> customerIds) =>
        customerIds.Count == 0 ? 0 : Redact(json, 0, json.Length, customerIds);

    /// <summary>Whether an item (an element of one of the item arrays) names one of the customers.</summary>
    public static bool Names(JsonElement item, bool isThread, IReadOnlySet<string> customerIds)
    {
        if (item.ValueKind != JsonValueKind.Object) return false;
        foreach (var property in item.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String
                && (IdentityFields.Contains(property.Name) || (isThread && property.Name == "id"))
                && IsCustomer(property.Value.GetString(), customerIds))
                return true;
            if (property.Value.ValueKind == JsonValueKind.Object)
                foreach (var inner in property.Value.EnumerateObject())
                    if (inner.Value.ValueKind == JsonValueKind.String && IdentityFields.Contains(inner.Name)
                        && IsCustomer(inner.Value.GetString(), customerIds))
                        return true;
        }
        return false;
    }

    private static bool IsCustomer(string? value, IReadOnlySet<string> customerIds) =>
        value is { Length: > 0 } && (customerIds.Contains(value) || (PhoneNumbers.TryNormalize(value, out var digits) && customerIds.Contains(digits)));

    private static int Redact(byte[] buffer, int offset, int length, IReadOnlySet<string> customerIds)
    {
        var removed = 0;
        var reader = new Utf8JsonReader(buffer.AsSpan(offset, length), new JsonReaderOptions { MaxDepth = 256 });
        string? property = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
                continue;
            }
            var arrayName = property;
            property = null;
            if (reader.TokenType != JsonTokenType.StartArray || arrayName is null || !ItemArrays.Contains(arrayName)) continue;

            var open = offset + (int)reader.TokenStartIndex;
            var elements = new List<(int Start, int End)>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = offset + (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                elements.Add((start, offset + (int)reader.BytesConsumed));
            }
            var close = offset + (int)reader.TokenStartIndex;

            var kept = new List<(int Start, int End)>();
            foreach (var (start, end) in elements)
            {
                using var element = JsonDocument.Parse(buffer.AsMemory(start, end - start));
                if (Names(element.RootElement, arrayName == "threads", customerIds)) removed++;
                else
                {
                    removed += Redact(buffer, start, end - start, customerIds);
                    kept.Add((start, end));
                }
            }
            if (kept.Count == elements.Count) continue;

            // Everything between the brackets becomes spaces, except the items kept and one comma after each but the last.
            var keep = new bool[close - open - 1];
            for (var k = 0; k < kept.Count; k++)
            {
                for (var i = kept[k].Start; i < kept[k].End; i++) keep[i - open - 1] = true;
                if (k < kept.Count - 1) keep[Array.IndexOf(buffer, (byte)',', kept[k].End) - open - 1] = true;
            }
            for (var i = 0; i < keep.Length; i++)
                if (!keep[i]) buffer[open + 1 + i] = Space;
        }
        return removed;
    }
}
