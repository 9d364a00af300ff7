using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>One status of a message the business sent: <c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c> (with its error), ...</summary>
public sealed record StatusView(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("error")] ErrorView? Error);
