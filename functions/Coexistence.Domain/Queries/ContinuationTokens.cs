using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queries;

/// <summary>
/// Opaque, tamper-proof continuation tokens (docs/api.md):
/// <c>base64url(payload JSON) "." base64url(HMAC-SHA256(key, payload JSON))</c>, the payload being
/// <c>{"v":1,"list":..,"pnid":..,"chat":..,"dir":"after"|"before","pos":..}</c>. A token is only
/// accepted for the listing, number and chat it was issued for, so it can neither be forged nor
/// carried over to someone else's data.
/// </summary>
internal sealed class ContinuationTokens
{
    public const int Version = 1;
    /// <summary>Far above any token we issue (a RowKey is at most 1 KiB); longer input is refused unread.</summary>
    public const int MaxTokenLength = 4096;

    private readonly byte[] key;

    public ContinuationTokens(byte[] key, bool ephemeral = false)
    {
        if (key.Length < 32) throw new ArgumentException("A token key has at least 32 bytes.", nameof(key));
        this.key = key.ToArray();
        IsEphemeral = ephemeral;
    }

    /// <summary>True when the key was generated at start-up: tokens die with the process.</summary>
    public bool IsEphemeral { get; }

    /// <summary>From <see cref="ReadApiOptions.TokenKey"/>, or a random per-process key (with a warning) when it is unset.</summary>
    public static ContinuationTokens Create(ReadApiOptions options, ILogger logger)
    {
        if (!string.IsNullOrEmpty(options.TokenKey)) return new ContinuationTokens(Encoding.UTF8.GetBytes(options.TokenKey));
        logger.LogWarning("ReadApi:TokenKey is not set: continuation tokens are signed with a random per-process key"
            + " and stop working after a restart or on another instance");
        return new ContinuationTokens(RandomNumberGenerator.GetBytes(32), ephemeral: true);
    }

    public string Issue(PageCursor cursor)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(Version, cursor.Listing, cursor.PhoneNumberId, cursor.ChatId,
            cursor.Position.Direction == PageDirection.After ? "after" : "before", cursor.Position.Key));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>
    /// The position a token points to, or null with the reason (for the problem's detail) when it is
    /// malformed, not signed with our key, or issued for another listing, number or chat.
    /// </summary>
    public PagePosition? Read(string token, string listing, string phoneNumberId, string? chatId, out string? refusal)
    {
        refusal = "The continuation token is not valid; start again from the first page.";
        if (token.Length > MaxTokenLength) return null;
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.')) return null;
        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature)) return null;

        Payload? p;
        try
        {
            p = JsonSerializer.Deserialize<Payload>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
        if (p is null || p.V != Version || p.Pos is null || p.Dir is not ("after" or "before")) return null;
        if (p.List != listing || p.Pnid != phoneNumberId || p.Chat != chatId)
        {
            refusal = "The continuation token was issued for another listing, number or chat.";
            return null;
        }
        refusal = null;
        return new PagePosition(p.Dir == "after" ? PageDirection.After : PageDirection.Before, p.Pos);
    }

    private sealed record Payload(
        [property: JsonPropertyName("v")] int V,
        [property: JsonPropertyName("list")] string? List,
        [property: JsonPropertyName("pnid")] string? Pnid,
        [property: JsonPropertyName("chat")] string? Chat,
        [property: JsonPropertyName("dir")] string? Dir,
        [property: JsonPropertyName("pos")] string? Pos);
}
