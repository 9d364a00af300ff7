using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>One phase of the history sync as received (<c>phase</c> null for chunks that named none).</summary>
public sealed record HistoryPhaseView(
    [property: JsonPropertyName("phase")] long? Phase,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("firstChunkOrder")] long? FirstChunkOrder,
    [property: JsonPropertyName("lastChunkOrder")] long? LastChunkOrder);
