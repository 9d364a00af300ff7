using System.Text.Json.Serialization;

namespace Coexistence.Queries;

public sealed record ContactView(
    [property: JsonPropertyName("phoneNumber")] string PhoneNumber,
    [property: JsonPropertyName("fullName")] string? FullName,
    [property: JsonPropertyName("firstName")] string? FirstName);
