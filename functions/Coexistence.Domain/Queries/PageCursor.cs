namespace Coexistence.Queries;

/// <summary>What a continuation token says: a position in one listing of one number (and chat).</summary>
/// <param name="Listing">The listing and its shape: <c>chats</c>, <c>messages</c>, <c>contacts</c>, <c>contacts+removed</c>.</param>
internal sealed record PageCursor(string Listing, string PhoneNumberId, string? ChatId, PagePosition Position);
