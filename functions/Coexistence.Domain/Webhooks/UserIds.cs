namespace Coexistence.Webhooks;

/// <summary>
/// Business-scoped user ids (BSUIDs, Meta 2026): a two-letter country code, a dot, an optional <c>ENT.</c> (parent
/// ids of enrolled portfolios), then 1 to 128 ASCII letters or digits: <c>US.13491208655302741918</c>,
/// <c>US.ENT.11815799212886844830</c>. They become table keys (a chat of a person known only by BSUID), so they are
/// checked as strictly as phone numbers: anything else is refused.
/// </summary>
public static class UserIds
{
    public const int MaxIdChars = 128;

    /// <summary>
    /// Every user id starts with an upper-case ASCII letter and every phone with a digit, so in a key range the user ids
    /// are exactly those from <see cref="KeyRangeStart"/> (inclusive) to <see cref="KeyRangeEnd"/> ('[' sorts right after 'Z').
    /// </summary>
    public const string KeyRangeStart = "A";

    /// <inheritdoc cref="KeyRangeStart"/>
    public const string KeyRangeEnd = "[";

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length < 4 || value.Length > 3 + 4 + MaxIdChars) return false;
        if (!char.IsAsciiLetterUpper(value[0]) || !char.IsAsciiLetterUpper(value[1]) || value[2] != '.') return false;
        var rest = value.AsSpan(3);
        if (rest.StartsWith("ENT.", StringComparison.Ordinal)) rest = rest[4..];
        if (rest.Length is 0 or > MaxIdChars) return false;
        foreach (var c in rest)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }
}
