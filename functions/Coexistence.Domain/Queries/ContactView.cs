using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// A contact of the business's address book: its phone (digits; null for a person known only by business-scoped
/// user id), names, and the identifiers the sync gave (docs/data-model.md, "Customer identity").
/// </summary>
public sealed record ContactView(
    [property: JsonPropertyName("phoneNumber")] string? PhoneNumber,
    [property: JsonPropertyName("fullName")] string? FullName,
    [property: JsonPropertyName("firstName")] string? FirstName,
    [property: JsonPropertyName("userId")] string? UserId = null,
    [property: JsonPropertyName("parentUserId")] string? ParentUserId = null,
    [property: JsonPropertyName("username")] string? Username = null)
{
    /// <summary>How contacts are listed: by phone, and a person known only by user id by that id (digits sort first).</summary>
    internal string ListingKey => PhoneNumber ?? UserId ?? "";
}
