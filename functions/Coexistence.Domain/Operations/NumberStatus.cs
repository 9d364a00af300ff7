using Coexistence.Queries;

namespace Coexistence.Operations;

/// <summary>
/// The history sync of one business number at a glance (as <c>show history</c> gives it, and when its last chunk
/// arrived), with its chat and contact counts.
/// </summary>
public sealed record NumberStatus(
    string PhoneNumberId,
    HistoryStatusView History,
    DateTimeOffset? LastChunkAt,
    int Chats,
    int Contacts,
    bool Stalled);
