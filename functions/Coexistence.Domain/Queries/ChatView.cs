using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// A chat: its id (the customer's phone digits, or their business-scoped user id), its latest message time and count,
/// and who it is with (the phone; the user id, parent id and username of its latest message that named any).
/// </summary>
public sealed record ChatView(
    [property: JsonPropertyName("chatId")] string ChatId,
    [property: JsonPropertyName("lastMessageAt")] long LastMessageAt,
    [property: JsonPropertyName("messageCount")] long MessageCount,
    [property: JsonPropertyName("customer")] CustomerView Customer);
