using System.Text.Json.Serialization;

namespace Coexistence.Queries;

public sealed record ChatView(
    [property: JsonPropertyName("chatId")] string ChatId,
    [property: JsonPropertyName("lastMessageAt")] long LastMessageAt,
    [property: JsonPropertyName("messageCount")] long MessageCount);
