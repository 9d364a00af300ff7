using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The <c>content</c> of a message of a type this version does not read (a future one, say): the object named after
/// its type, as sent (<c>raw</c>), so that nothing disappears. Null <c>raw</c> when the stored JSON was cut at the size limit.
/// </summary>
public sealed record RawContentView([property: JsonPropertyName("raw")] JsonElement? Raw)
{
    public bool Equals(RawContentView? other) => other is not null && Raw?.GetRawText() == other.Raw?.GetRawText();

    public override int GetHashCode() => Raw?.ValueKind.GetHashCode() ?? 0;
}
