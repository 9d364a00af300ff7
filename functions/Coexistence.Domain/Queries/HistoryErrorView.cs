using System.Text.Json.Serialization;

namespace Coexistence.Queries;

public sealed record HistoryErrorView(
    [property: JsonPropertyName("code")] long? Code,
    [property: JsonPropertyName("message")] string? Message);
