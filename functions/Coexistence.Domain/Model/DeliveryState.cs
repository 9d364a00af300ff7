namespace Coexistence.Model;

/// <summary>
/// Where a message the business sent stands, read from the set of its statuses: the current one is the highest by
/// <see cref="MessageStatus.Rank"/>, the earliest of that rank, then the least by error code (so any arrival order
/// reads the same); <see cref="Statuses"/> lists them all in time order.
/// </summary>
internal sealed record DeliveryState(MessageStatus Current, IReadOnlyList<MessageStatus> Statuses)
{
    /// <summary>The state of a non-empty set of statuses of one message; null for none.</summary>
    public static DeliveryState? Of(IReadOnlyCollection<MessageStatus> statuses)
    {
        if (statuses.Count == 0) return null;
        var current = statuses.OrderByDescending(s => MessageStatus.Rank(s.Status)).ThenBy(s => s.Timestamp)
            .ThenBy(s => s.Status, StringComparer.Ordinal).ThenBy(s => s.Error?.Code ?? -1).First();
        var ordered = statuses.OrderBy(s => s.Timestamp).ThenBy(s => MessageStatus.Rank(s.Status))
            .ThenBy(s => s.Status, StringComparer.Ordinal).ThenBy(s => s.Error?.Code ?? -1).ToList();
        return new DeliveryState(current, ordered);
    }
}
