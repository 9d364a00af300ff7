using Coexistence.Model;

namespace Coexistence.Processing;

/// <summary>What one <c>history</c> change contains.</summary>
internal sealed record HistoryPayload(
    IReadOnlyList<(HistoryChunk Chunk, IReadOnlyList<ChatMessage> Messages)> Chunks,
    IReadOnlyList<HistoryDecline> Declines,
    IReadOnlyList<MediaFollowUp> MediaFollowUps,
    IReadOnlyList<QuarantinedItem> Quarantined,
    IReadOnlyList<MessageReaction> Reactions);
