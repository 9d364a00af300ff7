using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>The message a reply quotes (<c>context.id</c>) and who sent it (<c>context.from</c>), so that an inbox can draw the quote.</summary>
public sealed record ReplyToView(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("from")] string? From);
