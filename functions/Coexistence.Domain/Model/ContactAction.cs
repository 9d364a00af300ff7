namespace Coexistence.Model;

/// <summary>One contact action from <c>smb_app_state_sync</c>: an add (added or edited) or a remove of one number.</summary>
internal sealed record ContactAction(string PhoneNumber, bool IsRemove, long Timestamp, string? FullName, string? FirstName)
{
    /// <summary>
    /// The order in which actions win: later timestamp; on a tie, remove beats add; then names
    /// (ordinal), so that any delivery order ends in the same state.
    /// </summary>
    public static int Compare(ContactAction a, ContactAction b)
    {
        var byTime = a.Timestamp.CompareTo(b.Timestamp);
        if (byTime != 0) return byTime;
        var byKind = a.IsRemove.CompareTo(b.IsRemove);
        if (byKind != 0) return byKind;
        var byFull = string.CompareOrdinal(a.FullName, b.FullName);
        return byFull != 0 ? byFull : string.CompareOrdinal(a.FirstName, b.FirstName);
    }

    /// <summary>Whether this action replaces <paramref name="current"/> (<see cref="Compare"/>).</summary>
    public bool Supersedes(ContactAction? current) => current is null || Compare(this, current) > 0;
}
