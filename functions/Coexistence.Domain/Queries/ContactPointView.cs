using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>A phone, email or URL of a contact card: the value, its <c>type</c> (<c>HOME</c>, <c>WORK</c>, ...), and for a phone its <c>wa_id</c>.</summary>
public sealed record ContactPointView(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("waId")] string? WaId);
