using System.Buffers;
using System.Text;

namespace Coexistence.Storage;

/// <summary>
/// Reversible encoding of free-form ids (wamids contain '/', '+', '=') for use inside table keys.
/// Characters Table Storage forbids in keys ('/', '\', '#', '?', control characters), our own
/// separator '|' and the escape character '%' are written as %XX over their UTF-8 bytes;
/// everything else is kept, so keys stay readable in a table explorer.
/// </summary>
internal static class KeyEncoding
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>
    /// The longest encoded id a key holds as such (docs/data-model.md, "Key encoding"): a wamid of up to 512 characters
    /// can triple when encoded ('/' is 3 characters, a C1 control 6), past Azure's 1 KiB key limit and the emulator's
    /// lower one. A longer one is held as <see cref="HashedPrefix"/> and the SHA-256 of its UTF-8 in hex: 66 characters.
    /// </summary>
    public const int MaxIdKeyChars = 255;

    /// <summary>"%~" is never produced by <see cref="Encode"/> ('%' is always followed by two hex digits there), so a hashed key part cannot be an encoded id.</summary>
    public const string HashedPrefix = "%~";

    private const int HashedLength = 2 + 64;

    /// <summary>A free-form id (wamid, fact id, status) as a key part: encoded, or hashed when its encoding is longer than <see cref="MaxIdKeyChars"/>.</summary>
    public static string IdKey(string value)
    {
        var length = EncodedLength(value);
        if (length > MaxIdKeyChars) return HashedPrefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        return length == value.Length ? value : string.Create(length, value, static (destination, value) => EncodeInto(value, destination));
    }

    /// <summary>The length of <see cref="IdKey"/>'s result.</summary>
    public static int IdKeyLength(ReadOnlySpan<char> value) => EncodedLength(value) is var n && n <= MaxIdKeyChars ? n : HashedLength;

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
        for (var at = value.IndexOfAny(Escaped); at >= 0; at = value.IndexOfAny(Escaped))
        {
            length += value[at] < 0x80 ? 2 : 5;
            value = value[(at + 1)..];
        }
        return length;
    }

    /// <summary>
    /// Writes <see cref="Encode"/>'s result into <paramref name="destination"/>; returns the characters written
    /// (<see cref="EncodedLength"/>).
    /// </summary>
    public static int EncodeInto(ReadOnlySpan<char> value, Span<char> destination)
    {
        // Runs between escaped characters are copied whole (a wamid has a few '/' at most).
        var written = 0;
        for (var at = value.IndexOfAny(Escaped); at >= 0; at = value.IndexOfAny(Escaped))
        {
            value[..at].CopyTo(destination[written..]);
            written += at;
            var c = value[at];
            // A C1 control U+0080..U+009F is C2 80..C2 9F in UTF-8: its second byte is the character itself.
            if (c >= 0x80) written += WriteByte(0xC2, destination[written..]);
            written += WriteByte((byte)c, destination[written..]);
            value = value[(at + 1)..];
        }
        value.CopyTo(destination[written..]);
        return written + value.Length;
    }

    private static int WriteByte(byte b, Span<char> destination)
    {
        destination[0] = '%';
        destination[1] = HexDigits[b >> 4];
        destination[2] = HexDigits[b & 0xF];
        return 3;
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

    /// <summary>
    /// What is escaped: '/', '\\', '#', '?' (forbidden in keys), '|' (our separator), '%' (the escape) and the control
    /// characters (<see cref="char.IsControl(char)"/>: U+0000..U+001F and U+007F..U+009F).
    /// </summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "/\\#?|%" + new string([.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)]));
}
