using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>The <c>content</c> of a <c>location</c> message: <c>location.{latitude, longitude, name, address, url}</c>.</summary>
public sealed record LocationView(
    [property: JsonPropertyName("latitude")] double Latitude,
    [property: JsonPropertyName("longitude")] double Longitude,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("address")] string? Address,
    [property: JsonPropertyName("url")] string? Url);
