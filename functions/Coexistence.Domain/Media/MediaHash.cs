namespace Coexistence.Media;

/// <summary>A webhook's <c>sha256</c> as sent: base64 (Meta's usual form) or hex; anything else is no hash.</summary>
internal static class MediaHash
{
    public static byte[]? Parse(string? sent)
    {
        if (string.IsNullOrWhiteSpace(sent)) return null;
        var text = sent.Trim();
        if (text.Length == 64 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        var bytes = new byte[48];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 32 ? bytes[..32] : null;
    }
}
