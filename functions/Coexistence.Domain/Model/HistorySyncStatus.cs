namespace Coexistence.Model;

/// <summary>
/// A number's history sync, computed from its chunk and decline rows when read: the state, the highest progress, the
/// chunks (per phase, and the gaps in their chunk orders), when the first and last chunk arrived, and, when asked for,
/// the placeholders still without media.
/// </summary>
internal sealed record HistorySyncStatus(HistorySyncState State, long Progress, int Chunks, HistorySyncError? Error, DateTimeOffset? LastChunkAt,
    DateTimeOffset? FirstChunkAt = null, IReadOnlyList<HistoryPhase>? Phases = null, IReadOnlyList<HistoryChunkGap>? Gaps = null,
    HistoryPlaceholders? Placeholders = null);
