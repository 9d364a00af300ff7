using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>The current reaction of each side on a message (null: none, or removed).</summary>
public sealed record ReactionsView(
    [property: JsonPropertyName("customer")] ReactionView? Customer,
    [property: JsonPropertyName("business")] ReactionView? Business);
