using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>
/// Who a chat is with, as its summary keeps it (docs/data-model.md, "Chat summary row"): the user id, parent id and
/// username of the chat's latest message that named any (<see cref="From"/>: that message's chat row key). Being the
/// latest by row key, it is a function of the chat's rows, whatever the order they were written in.
/// </summary>
internal sealed record ChatCustomer(string From, string? UserId, string? ParentUserId, string? Username)
{
    /// <summary>What a message's row says of its customer, or null when it names no identifier beyond the chat.</summary>
    public static ChatCustomer? Of(string rowKey, string? userId, string? parentUserId, string? username) =>
        userId is null && parentUserId is null && username is null ? null : new(rowKey, userId, parentUserId, username);

    public static ChatCustomer? Of(string rowKey, ChatMessage message) => Of(rowKey, message.UserId, message.ParentUserId, message.Username);

    /// <summary>The later of two (by row key), either may be null.</summary>
    public static ChatCustomer? Latest(ChatCustomer? a, ChatCustomer? b) =>
        a is null ? b : b is null ? a : string.CompareOrdinal(a.From, b.From) >= 0 ? a : b;

    /// <summary>The chat's customer as shown: a phone chat's phone, a user-id chat's id as the user id when no row named one.</summary>
    public static CustomerIdentity View(string chatId, ChatCustomer? customer) =>
        CustomerIdentity.OfChat(chatId, customer?.UserId, customer?.ParentUserId, customer?.Username);
}
