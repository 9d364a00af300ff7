using System.Globalization;
using System.Text.Json;

namespace Coexistence.Webhooks;

/// <summary>Lenient readers for the shapes seen in the wild: numbers that arrive as numeric strings, and so on.</summary>
internal static class JsonValues
{
    public static string? GetString(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String
            ? p.ReadString()
            : null;

    /// <summary>Reads a string, or a number written as a number, as text (ids and phone numbers arrive both ways).</summary>
    public static string? GetStringOrNumber(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p)) return null;
        return p.ValueKind switch
        {
            JsonValueKind.String => p.ReadString(),
            JsonValueKind.Number => p.GetRawText(),
            _ => null,
        };
    }

    /// <summary>
    /// A string value as well-formed text. JSON may escape lone UTF-16 surrogates (<c>"\\ud800"</c>), which
    /// System.Text.Json refuses to read as a string and which no table or writer accepts: each becomes U+FFFD.
    /// </summary>
    public static string ReadString(this JsonElement p)
    {
        try
        {
            return WellFormed(p.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return WellFormed(Unescape(p.GetRawText()));
        }
    }

    /// <summary>
    /// <see cref="ReadString(JsonElement)"/> for a string token given as its bytes with the quotes (the envelope reader
    /// keeps slices of the body rather than a JsonDocument): the same text, and the same exceptions.
    /// </summary>
    public static string ReadString(ReadOnlySpan<byte> token)
    {
        var reader = new Utf8JsonReader(token);
        reader.Read();
        try
        {
            return WellFormed(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return WellFormed(Unescape(RawText(token)));
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The token as <see cref="JsonElement.GetRawText"/> reads it: invalid UTF-8 throws there, so it throws here.</summary>
    private static string RawText(ReadOnlySpan<byte> token)
    {
        try
        {
            return StrictUtf8.GetString(token);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new InvalidOperationException("Cannot transcode invalid UTF-8 JSON text to UTF-16 string.", e);
        }
    }

    /// <summary>Replaces unpaired surrogates with U+FFFD; returns the same instance when there are none.</summary>
    public static string WellFormed(string text)
    {
        // The usual text has no surrogate at all (one vectorised search); otherwise check the pairs one by one.
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return text;
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (!char.IsSurrogate(text[i])) continue;
            copy ??= text.ToCharArray();
            copy[i] = '\uFFFD';
        }
        return copy is null ? text : new string(copy);
    }

    /// <summary>Unescapes a raw JSON string token (with its quotes), keeping unpaired surrogates as they are.</summary>
    private static string Unescape(string raw)
    {
        var sb = new System.Text.StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\') { sb.Append(c); continue; }
            var e = raw[++i];
            switch (e)
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    sb.Append((char)int.Parse(raw.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(e); break; // \" \\ \/
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The exact bytes of <paramref name="element"/> inside <paramref name="document"/> (the buffer the
    /// JsonDocument was parsed from, in place), without copying.
    /// </summary>
    public static ReadOnlyMemory<byte> RawSlice(ReadOnlyMemory<byte> document, JsonElement element)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        var offset = (long)System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(document.Span),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw));
        if (offset >= 0 && offset + raw.Length <= document.Length)
            return document.Slice((int)offset, raw.Length);
        return raw.ToArray(); // Not expected (JsonDocument parses in place), but never return the wrong bytes.
    }

    public static bool TryGetProperty(this JsonElement element, string name, JsonValueKind kind, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind == kind)
            return true;
        value = default;
        return false;
    }

    public static bool Has(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null;

    /// <summary>An integer given as a JSON number or as a numeric string ("phase": "0").</summary>
    public static bool TryGetInt64(this JsonElement element, string name, out long value)
    {
        value = 0;
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p)) return false;
        return TryReadInt64(p, out value);
    }

    public static bool TryReadInt64(JsonElement p, out long value)
    {
        value = 0;
        switch (p.ValueKind)
        {
            case JsonValueKind.Number:
                if (p.TryGetInt64(out value)) return true;
                if (p.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= long.MinValue and <= long.MaxValue)
                {
                    value = (long)d;
                    return true;
                }
                return false;
            case JsonValueKind.String:
                // Unescaped (the usual "1690000000"): parse the UTF-8 in place, with the same rules, instead of copying it to a string.
                var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(p);
                if (raw.IndexOf((byte)'\\') < 0)
                    return long.TryParse(raw[1..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
                return long.TryParse(p.ReadString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    /// <summary>A number given as a JSON number or as a numeric string ("latitude": "51.5"); null otherwise.</summary>
    public static double? GetDouble(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p)) return null;
        return p.ValueKind switch
        {
            JsonValueKind.Number when p.TryGetDouble(out var d) => d,
            JsonValueKind.String when double.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    public static bool? GetBoolean(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p)) return null;
        return p.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(p.ReadString(), out var b) => b,
            _ => null,
        };
    }
}
