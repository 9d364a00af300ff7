using System.Text;

namespace Coexistence.Storage;

/// <summary>
/// Reversible encoding of free-form ids (wamids contain '/', '+', '=') for use inside table keys.
/// Characters Table Storage forbids in keys ('/', '\', '#', '?', control characters), our own
/// separator '|' and the escape character '%' are written as %XX over their UTF-8 bytes;
/// everything else is kept, so keys stay readable in a table explorer.
/// </summary>
public static class KeyEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    public static string Encode(string value)
    {
        var needs = false;
        foreach (var c in value)
            if (MustEscape(c)) { needs = true; break; }
        if (!needs) return value;

        var sb = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!MustEscape(c)) { sb.Append(c); continue; }
            var n = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            for (var b = 0; b < n; b++) sb.Append('%').Append(HexDigits[utf8[b] >> 4]).Append(HexDigits[utf8[b] & 0xF]);
        }
        return sb.ToString();
    }

    public static string Decode(string key)
    {
        if (!key.Contains('%')) return key;
        var sb = new StringBuilder(key.Length);
        var pending = new List<byte>();
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length)
            {
                pending.Add(Convert.ToByte(key.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }
            Flush();
            sb.Append(key[i]);
        }
        Flush();
        return sb.ToString();

        void Flush()
        {
            if (pending.Count == 0) return;
            sb.Append(Encoding.UTF8.GetString(pending.ToArray()));
            pending.Clear();
        }
    }

    private static bool MustEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '|' or '%' || char.IsControl(c);
}
