using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coexistence.Queries;

// The JSON shapes of `coexistence show --json` (docs/cli.md). One serializer, one contract.

public sealed record ChatView(
    [property: JsonPropertyName("chatId")] string ChatId,
    [property: JsonPropertyName("lastMessageAt")] long LastMessageAt,
    [property: JsonPropertyName("messageCount")] long MessageCount);

public sealed record MediaView(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("mimeType")] string? MimeType,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("caption")] string? Caption);

public sealed record MessageView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("chatId")] string ChatId,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("media")] MediaView? Media,
    [property: JsonPropertyName("revoked")] bool Revoked,
    [property: JsonPropertyName("edited")] bool Edited);

public sealed record ContactView(
    [property: JsonPropertyName("phoneNumber")] string PhoneNumber,
    [property: JsonPropertyName("fullName")] string? FullName,
    [property: JsonPropertyName("firstName")] string? FirstName);

public sealed record HistoryErrorView(
    [property: JsonPropertyName("code")] long? Code,
    [property: JsonPropertyName("message")] string? Message);

public sealed record HistoryStatusView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("progress")] long Progress,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("error")] HistoryErrorView? Error);

public static class ViewJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>
/// A contact as the read API lists it with <c>includeRemoved=true</c> (docs/api.md): the
/// <see cref="ContactView"/> properties plus whether and when (unix seconds) it was removed. The CLI
/// and the default API listing keep the <see cref="ContactView"/> shape.
/// </summary>
public sealed record ContactWithRemovalView(
    [property: JsonPropertyName("phoneNumber")] string PhoneNumber,
    [property: JsonPropertyName("fullName")] string? FullName,
    [property: JsonPropertyName("firstName")] string? FirstName,
    [property: JsonPropertyName("removed")] bool Removed,
    [property: JsonPropertyName("removedAt")] long? RemovedAt)
{
    public ContactView ToContactView() => new(PhoneNumber, FullName, FirstName);
}

/// <summary>
/// One page of a read API listing (docs/api.md): the views in listing order and opaque continuation
/// tokens for the pages after and before it (null when there is none).
/// </summary>
public sealed record Page<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("next")] string? Next,
    [property: JsonPropertyName("previous")] string? Previous);
