namespace Coexistence.Model;

/// <summary>
/// Who a customer is, as one item names them (docs/data-model.md, "Customer identity"): a phone (digits), a
/// business-scoped user id, its parent id, a username; at least a phone or a user id. <see cref="ChatId"/> is the phone
/// whenever one is known, else the user id.
/// </summary>
internal sealed record CustomerIdentity(string? Phone, string? UserId, string? ParentUserId, string? Username)
{
    public string ChatId => Phone ?? UserId!;

    /// <summary>Whether a chat or contact id is a phone (digits) rather than a business-scoped user id (which starts with letters).</summary>
    public static bool IsPhoneId(string id) => id.Length > 0 && char.IsAsciiDigit(id[0]);

    /// <summary>
    /// Who a chat is with, from its id and what its rows name: a phone chat's phone with those identifiers; for a chat
    /// under a user id, no phone and that id as the user id unless a row named one.
    /// </summary>
    public static CustomerIdentity OfChat(string chatId, string? userId, string? parentUserId, string? username) => IsPhoneId(chatId)
        ? new(chatId, userId, parentUserId, username)
        : new(null, userId ?? chatId, parentUserId, username);

    /// <summary>This identity with what it lacks taken from <paramref name="other"/> (the same person, e.g. from a <c>contacts[]</c> block).</summary>
    public CustomerIdentity Enrich(CustomerIdentity? other) => other is null ? this : new(
        Phone ?? other.Phone, UserId ?? other.UserId, ParentUserId ?? other.ParentUserId, Username ?? other.Username);
}
