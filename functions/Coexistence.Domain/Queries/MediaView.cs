using System.Text.Json.Serialization;

namespace Coexistence.Queries;

public sealed record MediaView(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("mimeType")] string? MimeType,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("caption")] string? Caption);
