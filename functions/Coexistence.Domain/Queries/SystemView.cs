using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The <c>content</c> of a <c>system</c> message: its <c>type</c> (<c>user_changed_number</c>,
/// <c>user_changed_user_id</c>, ...), <c>body</c>, the new phone (<c>wa_id</c>, or <c>new_wa_id</c>), the new and
/// previous user id.
/// </summary>
public sealed record SystemView(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("waId")] string? WaId,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("previousUserId")] string? PreviousUserId);
