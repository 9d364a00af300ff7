namespace Coexistence.Model;

/// <summary>
/// A <c>reaction</c> item: an emoji one side puts on a message (<see cref="Direction.Inbound"/>: the customer's,
/// <see cref="Direction.Outbound"/>: the business's), or removes with an empty one. Each side has at most one current
/// reaction per message: the latest by timestamp, then by the reaction item's id (ordinal), so any order of arrival
/// ends in the same one; a removal is kept (an empty emoji) so that an older reaction cannot come back.
/// </summary>
internal sealed record MessageReaction(string MessageId, string ReactionId, Direction Side, long Timestamp, string Emoji) : MessageFact(MessageId)
{
    public override string FactKey => "reaction|" + ReactionId;

    public bool Supersedes(MessageReaction? current) =>
        current is null || Timestamp > current.Timestamp
        || (Timestamp == current.Timestamp && string.CompareOrdinal(ReactionId, current.ReactionId) > 0);
}
