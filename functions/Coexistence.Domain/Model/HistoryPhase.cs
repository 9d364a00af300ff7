namespace Coexistence.Model;

/// <summary>One phase of a history sync as received: how many chunks, and the lowest and highest chunk order among them.</summary>
internal sealed record HistoryPhase(long? Phase, int Chunks, long? FirstChunkOrder, long? LastChunkOrder);
