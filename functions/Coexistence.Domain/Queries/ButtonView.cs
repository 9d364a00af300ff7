using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>The <c>content</c> of a <c>button</c> message (a template's quick reply): <c>button.{text, payload}</c>.</summary>
public sealed record ButtonView(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("payload")] string? Payload);
