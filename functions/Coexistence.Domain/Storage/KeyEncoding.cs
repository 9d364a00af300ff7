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

    /// <summary>The value itself when nothing needs escaping (no copy); otherwise one new string of the exact length.</summary>
    public static string Encode(string value)
    {
        var length = EncodedLength(value);
        return length == value.Length ? value : string.Create(length, value, static (destination, value) => EncodeInto(value, destination));
    }

    /// <summary>The length of <see cref="Encode"/>'s result, so that keys containing it can be written in one go.</summary>
    public static int EncodedLength(ReadOnlySpan<char> value)
    {
        // Escaped characters are ASCII (1 UTF-8 byte: %XX) or C1 controls U+0080..U+009F (2 bytes: %XX%XX).
        var length = value.Length;
        foreach (var c in value)
            if (MustEscape(c)) length += c < 0x80 ? 2 : 5;
        return length;
    }

    /// <summary>Writes <see cref="Encode"/>'s result into <paramref name="destination"/>; returns the characters written (<see cref="EncodedLength"/>).</summary>
    public static int EncodeInto(ReadOnlySpan<char> value, Span<char> destination)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!MustEscape(c)) { destination[written++] = c; continue; }
            var n = Encoding.UTF8.GetBytes(value.Slice(i, 1), utf8);
            for (var b = 0; b < n; b++)
            {
                destination[written++] = '%';
                destination[written++] = HexDigits[utf8[b] >> 4];
                destination[written++] = HexDigits[utf8[b] & 0xF];
            }
        }
        return written;
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
