namespace Coexistence.Model;

/// <summary>
/// A business-scoped user id and the phone an item named with it: the same person. A BSUID belongs to one phone
/// (Meta issues a new one when the user changes number), so a link is a function from user id to phone.
/// </summary>
internal sealed record IdentityLink(string UserId, string Phone)
{
    /// <summary>
    /// The links that messages and contact actions state (those naming both a phone and a user id), with those
    /// <paramref name="stated"/> otherwise (by a change of number).
    /// </summary>
    public static IReadOnlyList<IdentityLink> Of(IEnumerable<ChatMessage> messages, IEnumerable<ContactAction> contacts, IEnumerable<IdentityLink> stated) =>
        [.. messages.Where(m => m.UserId is not null && CustomerIdentity.IsPhoneId(m.ChatId)).Select(m => new IdentityLink(m.UserId!, m.ChatId))
            .Concat(contacts.Where(c => c.UserId is not null && c.PhoneNumber is not null).Select(c => new IdentityLink(c.UserId!, c.PhoneNumber!)))
            .Concat(stated)
            // One phone per user id: two would be a provider bug; the lowest is kept, whatever the order.
            .GroupBy(l => l.UserId, StringComparer.Ordinal)
            .Select(g => g.MinBy(l => l.Phone, StringComparer.Ordinal)!)];
}
