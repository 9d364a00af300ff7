namespace Coexistence.Webhooks;

/// <summary>
/// Phone numbers and phone number ids become table keys, so they are reduced to digits and
/// anything else is refused: no payload can forge a key.
/// </summary>
public static class PhoneNumbers
{
    /// <summary>E.164 allows 15 digits; ids issued by Meta are around 15-17. Anything longer is not a number.</summary>
    public const int MaxDigits = 32;

    /// <summary>
    /// Strips what people type around digits ('+', spaces including no-break spaces, dashes, dots and
    /// parentheses); the rest must be 1..32 ASCII digits.
    /// </summary>
    public static bool TryNormalize(string? raw, out string digits)
    {
        digits = "";
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxDigits * 3) return false;
        Span<char> buffer = stackalloc char[raw.Length];
        var length = 0;
        foreach (var c in raw)
        {
            if (c is '+' or ' ' or '\u00A0' or '-' or '.' or '(' or ')') continue;
            if (c is < '0' or > '9') return false;
            buffer[length++] = c;
        }
        if (length is 0 or > MaxDigits) return false;
        // Already digits only (the usual case): keep the string rather than copy it.
        digits = length == raw.Length ? raw : new string(buffer[..length]);
        return true;
    }

    /// <summary>A phone_number_id must already be digits only; it is never rewritten.</summary>
    public static bool IsValidPhoneNumberId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxDigits) return false;
        foreach (var c in value)
            if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>For logs: only the last four digits of a customer's number.</summary>
    public static string Mask(string? digits) =>
        string.IsNullOrEmpty(digits) ? "" : digits.Length <= 4 ? new string('*', digits.Length) : "***" + digits[^4..];
}
