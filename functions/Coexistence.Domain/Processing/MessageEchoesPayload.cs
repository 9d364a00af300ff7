using Coexistence.Model;

namespace Coexistence.Processing;

internal sealed record MessageEchoesPayload(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<MessageFact> Facts, IReadOnlyList<QuarantinedItem> Quarantined);
