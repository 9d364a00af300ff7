using System.Globalization;
using System.Text.Json;

namespace Coexistence.Webhooks;

/// <summary>Lenient readers for the shapes seen in the wild: numbers that arrive as numeric strings, and so on.</summary>
internal static class JsonValues
{
    public static string? GetString(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString()
            : null;

    /// <summary>Reads a string, or a number written as a number, as text (ids and phone numbers arrive both ways).</summary>
    public static string? GetStringOrNumber(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p)) return null;
        return p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Number => p.GetRawText(),
            _ => null,
        };
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
                return long.TryParse(p.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    public static bool? GetBoolean(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var p)) return null;
        return p.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(p.GetString(), out var b) => b,
            _ => null,
        };
    }
}
