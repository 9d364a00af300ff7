namespace Coexistence.Model;

/// <summary>
/// A message as one history chunk or one echo describes it. It creates the message's row in its chat;
/// later facts about it (media follow-up, edit, revoke) are <see cref="MessageFact"/>s. <see cref="Id"/> is its wamid.
/// </summary>
internal sealed record ChatMessage(
    string Id,
    string ChatId,
    Direction Direction,
    string From,
    string To,
    long Timestamp,
    string Type,
    string? Status,
    MessageSource Source,
    string? Text,
    MediaInfo? Media,
    string? ContentJson);
