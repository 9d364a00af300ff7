using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>
/// A message's chat row as stored (<see cref="MessagesTable.ReadChatRow"/>): what its history chunk or echo wrote,
/// and the latest of each fact applied to it since (a media follow-up, an edit, a revoke, each side's reaction).
/// </summary>
internal sealed record StoredMessage(
    string MessageId,
    string ChatId,
    Direction Direction,
    string From,
    string To,
    long SentAt,
    string Type,
    MessageSource Source,
    string? Status,
    string? Text,
    MediaInfo? Media,
    string? Content,
    MediaFollowUp? FollowUp,
    MessageEdit? Edit,
    MessageRevoke? Revoke,
    string? UserId = null,
    string? ParentUserId = null,
    string? Username = null,
    MessageContext? Context = null,
    string? ErrorsJson = null,
    MessageReaction? CustomerReaction = null,
    MessageReaction? BusinessReaction = null)
{
    /// <summary>The customer the message is with: the chat's phone, or for a user-id chat no phone and the chat id as the user id.</summary>
    public CustomerIdentity Customer => CustomerIdentity.OfChat(ChatId, UserId, ParentUserId, Username);

    /// <summary>The message as its chunk or echo gave it (what the row holds of it; not the facts applied since, but its reactions).</summary>
    public ChatMessage ToMessage() => new(MessageId, ChatId, Direction, From, To, SentAt, Type, Status, Source, Text, Media, Content,
        UserId, ParentUserId, Username, Context: Context, ErrorsJson: ErrorsJson, CustomerReaction: CustomerReaction, BusinessReaction: BusinessReaction);

    /// <summary>The current reaction of one side.</summary>
    public MessageReaction? ReactionOf(Direction side) => side == Direction.Inbound ? CustomerReaction : BusinessReaction;
}
