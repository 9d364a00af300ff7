using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>The <c>content</c> of a <c>template</c> message: its <c>name</c>, <c>language</c> (code) and <c>components</c> as sent.</summary>
public sealed record TemplateView(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("language")] string? Language,
    [property: JsonPropertyName("components")] JsonElement? Components)
{
    public bool Equals(TemplateView? other) =>
        other is not null && Name == other.Name && Language == other.Language && Components?.GetRawText() == other.Components?.GetRawText();

    public override int GetHashCode() => HashCode.Combine(Name, Language);
}
