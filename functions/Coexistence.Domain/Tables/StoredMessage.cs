using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>
/// A message's chat row as stored (<see cref="MessagesTable.ReadChatRow"/>): what its history chunk or echo wrote,
/// and the latest of each fact applied to it since (a media follow-up, an edit, a revoke).
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
    MediaFollowUp? FollowUp,
    MessageEdit? Edit,
    MessageRevoke? Revoke);
