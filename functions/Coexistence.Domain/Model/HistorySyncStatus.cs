namespace Coexistence.Model;

/// <summary>A number's history sync, computed from its chunk and decline rows when read.</summary>
internal sealed record HistorySyncStatus(HistorySyncState State, long Progress, int Chunks, HistorySyncError? Error, DateTimeOffset? LastChunkAt);
