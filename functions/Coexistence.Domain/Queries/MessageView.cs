using System.Text.Json.Serialization;

namespace Coexistence.Queries;

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
    [property: JsonPropertyName("edited")] bool Edited,
    [property: JsonPropertyName("delivery")] DeliveryView? Delivery = null,
    [property: JsonPropertyName("customer")] CustomerView? Customer = null);
