using System.Security.Cryptography;
using System.Text;

namespace Coexistence.Intake;

/// <summary>
/// Checks that a webhook comes from someone holding one of our secrets: the provider's or Meta's
/// HMAC-SHA256 signature of the raw body, and/or a static header token. Every comparison is constant
/// time. With nothing configured, everyone with the function key is let in.
/// </summary>
internal sealed class WebhookAuthenticator(WebhookAuthOptions options)
{
    public const string ProviderSignatureHeader = "x-360dialog-signature";
    public const string MetaSignatureHeader = "X-Hub-Signature-256";

    /// <summary>Null when the request may pass; otherwise why not (never which secret or what was expected).</summary>
    public string? Check(Func<string, string?> header, ReadOnlySpan<byte> body) => Check(header, body, out _);

    /// <summary>As <see cref="Check(Func{string, string?}, ReadOnlySpan{byte})"/>, and whose signature let the request in.</summary>
    public string? Check(Func<string, string?> header, ReadOnlySpan<byte> body, out WebhookSender sender)
    {
        sender = WebhookSender.Unsigned;
        if (options.RequiresHeaderToken)
        {
            var token = header(options.HeaderName!);
            if (token is null) return $"the {options.HeaderName} header is missing";
            if (!options.ActiveHeaderTokens.Any(t => FixedTimeEquals(t, token))) return $"the {options.HeaderName} header is not valid";
        }

        if (!options.RequiresSignature) return null;

        var provider = header(ProviderSignatureHeader);
        var meta = header(MetaSignatureHeader);
        if (provider is null && meta is null)
            return $"a signature is required ({ProviderSignatureHeader} or {MetaSignatureHeader})";
        if (provider is not null && SignatureMatches(provider, body, options.ActiveProviderSecrets, prefixRequired: false))
        {
            sender = WebhookSender.Provider;
            return null;
        }
        if (meta is not null && SignatureMatches(meta, body, options.ActiveMetaAppSecrets, prefixRequired: true))
        {
            sender = WebhookSender.Meta;
            return null;
        }
        return "the signature does not match the body";
    }

    private static bool SignatureMatches(string headerValue, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, bool prefixRequired)
    {
        var value = headerValue.Trim();
        if (value.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase)) value = value[7..];
        else if (prefixRequired) return false;
        if (value.Length != 64) return false;
        Span<byte> claimed = stackalloc byte[32];
        if (Convert.FromHexString(value, claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;

        var matched = false;
        Span<byte> expected = stackalloc byte[32];
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
            // Check every secret (no early exit), so timing does not tell which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, claimed);
        }
        return matched;
    }

    /// <summary>Constant-time string comparison (hashing first makes the time independent of length, too).</summary>
    public static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));
}
