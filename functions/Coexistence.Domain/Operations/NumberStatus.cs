using Coexistence.Queries;

namespace Coexistence.Operations;

/// <summary>
/// One business number at a glance: its history sync (as <c>show history</c> gives it, and when its last chunk
/// arrived), its chat and contact counts, and from the registry its connection, latest lifecycle event, last webhook and
/// request window (as <c>show number</c> gives them).
/// </summary>
public sealed record NumberStatus(
    string PhoneNumberId,
    HistoryStatusView History,
    DateTimeOffset? LastChunkAt,
    int Chats,
    int Contacts,
    bool Stalled,
    string Connection,
    LifecycleEventView? LastEvent,
    DateTimeOffset? LastSeenAt,
    RequestWindowView? RequestWindow);
