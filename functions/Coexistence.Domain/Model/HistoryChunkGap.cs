namespace Coexistence.Model;

/// <summary>
/// A chunk a history sync has not delivered: <see cref="ChunkOrder"/> is missing below the highest one seen. The phase is
/// known when chunk orders count per phase, null when they count across the whole sync (<see cref="HistorySyncStatus"/>).
/// </summary>
internal sealed record HistoryChunkGap(long? Phase, long ChunkOrder)
{
    /// <summary>
    /// The chunk orders missing among <paramref name="chunks"/> (phase and chunk order of each chunk received; duplicates
    /// fine). Chunk orders start at 1. Meta's documents do not say whether they count per phase or across the sync: when no
    /// order appears in two phases they are read as counting across the sync (every order from 1 to the highest, phase
    /// unknown), otherwise per phase (from 1 to each phase's highest).
    /// </summary>
    public static IReadOnlyList<HistoryChunkGap> Find(IReadOnlyCollection<(long? Phase, long ChunkOrder)> chunks)
    {
        var byPhase = chunks.GroupBy(c => c.Phase).Select(g => (Phase: g.Key, Orders: g.Select(c => c.ChunkOrder).ToHashSet())).ToList();
        var perPhase = byPhase.SelectMany(p => p.Orders).GroupBy(o => o).Any(g => g.Count() > 1);
        if (!perPhase)
        {
            var all = byPhase.SelectMany(p => p.Orders).ToHashSet();
            return all.Count == 0 ? [] : Missing(all).Select(o => new HistoryChunkGap(null, o)).ToList();
        }
        return [.. byPhase.OrderBy(p => p.Phase ?? -1).SelectMany(p => Missing(p.Orders).Select(o => new HistoryChunkGap(p.Phase, o)))];
    }

    /// <summary>The orders from 1 to the highest of <paramref name="seen"/> that it lacks (none below 1, and at most 10,000).</summary>
    private static IEnumerable<long> Missing(HashSet<long> seen)
    {
        var highest = Math.Min(seen.Max(), MaxReported);
        for (long order = 1; order <= highest; order++)
            if (!seen.Contains(order)) yield return order;
    }

    /// <summary>A chunk order far beyond any real sync's is not taken to mean that many chunks are missing.</summary>
    public const long MaxReported = 10_000;
}
