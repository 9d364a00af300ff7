namespace Coexistence.Model;

/// <summary>
/// One contact action from <c>smb_app_state_sync</c>: an add (added or edited) or a remove of one person.
/// <see cref="ContactId"/> is the contact's phone in digits, or for a person known only by business-scoped user id,
/// that id (as chat ids are); <see cref="UserId"/>, <see cref="ParentUserId"/> and <see cref="Username"/> as the action gave them.
/// </summary>
internal sealed record ContactAction(string ContactId, bool IsRemove, long Timestamp, string? FullName, string? FirstName,
    string? UserId = null, string? ParentUserId = null, string? Username = null)
{
    /// <summary>The contact's phone (digits), or null for a person known only by user id.</summary>
    public string? PhoneNumber => CustomerIdentity.IsPhoneId(ContactId) ? ContactId : null;

    /// <summary>
    /// The order in which actions win: later timestamp; on a tie, remove beats add; then names and identifiers
    /// (ordinal), so that any delivery order ends in the same state.
    /// </summary>
    public static int Compare(ContactAction a, ContactAction b)
    {
        var byTime = a.Timestamp.CompareTo(b.Timestamp);
        if (byTime != 0) return byTime;
        var byKind = a.IsRemove.CompareTo(b.IsRemove);
        if (byKind != 0) return byKind;
        int c;
        if ((c = string.CompareOrdinal(a.FullName, b.FullName)) != 0) return c;
        if ((c = string.CompareOrdinal(a.FirstName, b.FirstName)) != 0) return c;
        if ((c = string.CompareOrdinal(a.UserId, b.UserId)) != 0) return c;
        if ((c = string.CompareOrdinal(a.ParentUserId, b.ParentUserId)) != 0) return c;
        return string.CompareOrdinal(a.Username, b.Username);
    }

    /// <summary>Whether this action replaces <paramref name="current"/> (<see cref="Compare"/>).</summary>
    public bool Supersedes(ContactAction? current) => current is null || Compare(this, current) > 0;
}
