namespace Coexistence.Model;

/// <summary>
/// A customer's identifier changed (a <c>system</c> message on <c>messages</c>): <c>user_changed_number</c> (the old
/// phone, or user id, to the new phone) or <c>user_changed_user_id</c> (the old business-scoped user id to the new one).
/// From <see cref="At"/> on, the person is <see cref="NewId"/>: their chat under <see cref="OldId"/> joins the new one's
/// (docs/data-model.md, "Customer identity"). Ids are chat ids: phone digits or user ids.
/// </summary>
internal sealed record IdentityChange(string OldId, string NewId, long At)
{
    /// <summary>
    /// Where a chat id ends after every change (a pure function of the set, so any order of arrival gives the same):
    /// from the id as <paramref name="linkedPhone"/> names it, follow the latest change out of it, then the latest
    /// one after that in time, and so on (each step strictly later, so a chain ends, and a number changed back ends
    /// where the latest change says). An id a change names is first taken to its linked phone, so a change of user id
    /// moves the chat of the phone that user id had.
    /// </summary>
    public static string Resolve(string chatId, IReadOnlyList<IdentityChange> changes, Func<string, string?> linkedPhone)
    {
        string Named(string id) => linkedPhone(id) ?? id;
        var current = Named(chatId);
        var after = long.MinValue;
        while (true)
        {
            IdentityChange? next = null;
            foreach (var change in changes)
                if (change.At > after && Named(change.OldId) == current
                    && (next is null || change.At > next.At || (change.At == next.At && string.CompareOrdinal(change.NewId, next.NewId) > 0)))
                    next = change;
            if (next is null) return current;
            var target = Named(next.NewId);
            (current, after) = (target, next.At);
        }
    }
}
