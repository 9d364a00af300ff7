using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>An error as the webhook gave it: <c>errors[0]</c>'s code, title, message and <c>error_data.details</c>.</summary>
public sealed record ErrorView(
    [property: JsonPropertyName("code")] long? Code,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("details")] string? Details);
