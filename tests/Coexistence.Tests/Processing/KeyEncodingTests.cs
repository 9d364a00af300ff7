using System.Text;
using static Coexistence.Tests.Webhooks.Corpus;

namespace Coexistence.Tests.Processing;

public class KeyEncodingTests
{
    /// <summary>Characters Azure Table Storage forbids in PartitionKey/RowKey, plus our separator '|'.</summary>
    private static bool IsForbidden(char c) => c is '/' or '\\' or '#' or '?' or '|' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F';

    private static void AssertSafe(string key) =>
        Assert.False(key.Any(IsForbidden), $"encoded key contains a forbidden character: {key}");

    [Theory]
    [InlineData(A1)]
    [InlineData(B3)]
    [InlineData(C8)]
    [InlineData("plain")]
    [InlineData("")]
    [InlineData("100%")]
    [InlineData("%2F")]
    [InlineData("a|b|c")]
    [InlineData("tab\there")]
    [InlineData("Grüße 👋")]
    public void Known_ids_round_trip_and_are_safe(string value)
    {
        var key = KeyEncoding.Encode(value);
        AssertSafe(key);
        Assert.Equal(value, KeyEncoding.Decode(key));
    }

    [Fact]
    public void Wamid_keeps_its_readable_parts_and_escapes_only_what_it_must()
    {
        Assert.Equal("wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQUZCNzM5%2FRkE+MEI3QzJGOTdGAA==", KeyEncoding.Encode(A1));
        Assert.Equal("abc+=.-_ é", KeyEncoding.Encode("abc+=.-_ é"));
        Assert.Equal("%25%7C%23%3F%5C%2F", KeyEncoding.Encode("%|#?\\/"));
        Assert.Equal("%C2%85", KeyEncoding.Encode("\u0085"));
        Assert.Equal("%00%1F%7F", KeyEncoding.Encode("\0\u001F\u007F"));
    }

    [Fact]
    public void Every_character_before_the_surrogates_is_kept_or_written_as_its_UTF8_bytes_and_the_length_is_known_beforehand()
    {
        for (var code = 0; code < 0xD800; code++)
        {
            var c = (char)code;
            var value = "a" + c + "b";
            var escaped = IsForbidden(c) || c == '%';
            var expected = escaped ? "a" + string.Concat(Encoding.UTF8.GetBytes(c.ToString()).Select(b => $"%{b:X2}")) + "b" : value;

            var key = KeyEncoding.Encode(value);

            Assert.True(expected == key, $"U+{code:X4}: expected {expected}, got {key}");
            Assert.Equal(key.Length, KeyEncoding.EncodedLength(value));
        }
    }

    [Fact]
    public void Different_ids_never_share_an_encoded_key()
    {
        string[] values = ["a/b", "a%2Fb", "a%252Fb", "a|b", "a%7Cb", "a#b", "a?b", "a\\b", "a\u0001b", "a%01b"];
        Assert.Equal(values.Length, values.Select(KeyEncoding.Encode).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Random_strings_round_trip_and_encode_to_safe_keys()
    {
        var random = new Random(20240610);
        char[] interesting = ['/', '\\', '#', '?', '%', '|', '+', '=', '.', '\0', '\t', '\n', '\r', '\u001F', '\u007F', '\u0085', '\u009F', 'é', 'ß', '中', ' '];
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 40);
            var sb = new StringBuilder();
            while (sb.Length < length)
            {
                switch (random.Next(5))
                {
                    case 0: sb.Append(interesting[random.Next(interesting.Length)]); break;
                    case 1: sb.Append((char)random.Next(0x20, 0x7F)); break;
                    case 2: sb.Append((char)random.Next(0, 0xA0)); break;
                    case 3: sb.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF))); break; // emoji, a surrogate pair
                    default: sb.Append((char)random.Next(0xA0, 0xD800)); break;
                }
            }
            var value = sb.ToString();
            var key = KeyEncoding.Encode(value);

            AssertSafe(key);
            Assert.Equal(value, KeyEncoding.Decode(key));
        }
    }

    [Fact]
    public void Encoding_preserves_the_order_of_ids_that_need_no_escaping()
    {
        // Row keys sort ordinally; ids without special characters keep their order exactly.
        string[] ids = ["wamid.A", "wamid.B", "wamid.a", "wamid.b+"];
        Assert.Equal(ids, ids.Select(KeyEncoding.Encode));
    }
}
