using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>A chunk order below the highest one received that has not arrived (<c>phase</c> null when orders count across the sync).</summary>
public sealed record MissingChunkView(
    [property: JsonPropertyName("phase")] long? Phase,
    [property: JsonPropertyName("chunkOrder")] long ChunkOrder);
