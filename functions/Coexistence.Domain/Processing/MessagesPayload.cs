using Coexistence.Model;

namespace Coexistence.Processing;

/// <summary>
/// What a <c>messages</c> change value holds: messages (inbound and system), facts (the customer's edits and revokes),
/// statuses, and what system messages say of identities: changes of number or user id, and the links they state.
/// </summary>
internal sealed record MessagesPayload(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<MessageFact> Facts, IReadOnlyList<MessageStatus> Statuses,
    IReadOnlyList<QuarantinedItem> Quarantined, IReadOnlyList<IdentityChange> Changes, IReadOnlyList<IdentityLink> Links);
