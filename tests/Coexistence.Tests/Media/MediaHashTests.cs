using System.Security.Cryptography;
using Coexistence.Media;

namespace Coexistence.Tests.Media;

/// <summary>A webhook's <c>sha256</c> (docs/media.md, "Verification"): base64 as Meta sends it, or hex; anything else verifies nothing.</summary>
public class MediaHashTests
{
    private static readonly byte[] Hash = SHA256.HashData("a file"u8);

    [Fact]
    public void Base64_of_32_bytes_is_the_hash()
    {
        Assert.Equal(Hash, MediaHash.Parse(Convert.ToBase64String(Hash)));
        Assert.Equal(Hash, MediaHash.Parse("  " + Convert.ToBase64String(Hash) + "\n"));
    }

    [Fact]
    public void Sixty_four_hex_digits_in_either_case_are_the_hash()
    {
        Assert.Equal(Hash, MediaHash.Parse(Convert.ToHexStringLower(Hash)));
        Assert.Equal(Hash, MediaHash.Parse(Convert.ToHexString(Hash)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc123")]                                                               // the test corpus's placeholder
    [InlineData("c0ffee")]
    [InlineData("not a hash at all, not even base64 !")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g")]                          // base64 of 33 bytes
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==")]                          // base64 of 31 bytes
    [InlineData("7e1d3c5b9a0f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1")]     // 63 hex digits
    [InlineData("7e1d3c5b9a0f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1g")]    // 64, one not hex
    public void Anything_else_is_no_hash(string? sent) => Assert.Null(MediaHash.Parse(sent));
}
