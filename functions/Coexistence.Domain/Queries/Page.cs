using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// One page of a read API listing (docs/api.md): the views in listing order and opaque continuation
/// tokens for the pages after and before it (null when there is none).
/// </summary>
internal sealed record Page<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("next")] string? Next,
    [property: JsonPropertyName("previous")] string? Previous);
