using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>A reaction: the emoji and when it was put.</summary>
public sealed record ReactionView(
    [property: JsonPropertyName("emoji")] string Emoji,
    [property: JsonPropertyName("timestamp")] long Timestamp);
