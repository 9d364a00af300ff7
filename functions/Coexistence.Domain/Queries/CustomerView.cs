using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The customer a message is with, as its items named them (docs/data-model.md, "Customer identity"): the phone
/// (digits; null for a person known only by business-scoped user id), the user id, its parent id, the username.
/// </summary>
public sealed record CustomerView(
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("parentUserId")] string? ParentUserId,
    [property: JsonPropertyName("username")] string? Username);
