namespace Coexistence.Model;

/// <summary>One history chunk's bookkeeping (the messages go to the message store).</summary>
internal sealed record HistoryChunk(string ChunkKey, long? Phase, long? ChunkOrder, long? Progress, int MessageCount, int ChatCount);
