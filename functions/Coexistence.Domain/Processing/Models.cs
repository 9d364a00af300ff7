namespace Coexistence.Processing;

/// <summary>Who sent a message, seen from the business.</summary>
public enum Direction { Inbound, Outbound }

/// <summary>Where a message row came from.</summary>
public enum MessageSource { History, Echo }

public sealed record MediaInfo(string? Id, string? MimeType, string? Sha256, string? Caption);

/// <summary>
/// A message as one history chunk or one echo describes it. It creates the message's row in its chat;
/// later facts about it (media follow-up, edit, revoke) are <see cref="MessageFacet"/>s.
/// </summary>
public sealed record ChatMessage(
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

/// <summary>A fact about a message that may arrive before or after the message itself.</summary>
public abstract record MessageFacet(string MessageId)
{
    /// <summary>Distinguishes facets of one message in the pending-facet key.</summary>
    public abstract string FacetKey { get; }
}

/// <summary>A history media follow-up: the real type and media of a <c>media_placeholder</c>.</summary>
public sealed record MediaFacet(string MessageId, string Type, MediaInfo Media) : MessageFacet(MessageId)
{
    public override string FacetKey => "media";
}

/// <summary>An echo <c>edit</c>: new content for a message. The latest edit (by timestamp, then id) wins.</summary>
public sealed record EditFacet(string MessageId, string EditId, long Timestamp, string? Type, string? Text, string? Caption) : MessageFacet(MessageId)
{
    public override string FacetKey => "edit|" + EditId;
}

/// <summary>An echo <c>revoke</c>: the business deleted the message.</summary>
public sealed record RevokeFacet(string MessageId, string RevokeId, long Timestamp) : MessageFacet(MessageId)
{
    public override string FacetKey => "revoke";
}

/// <summary>One contact action from <c>smb_app_state_sync</c>.</summary>
public sealed record ContactAction(string PhoneNumber, bool IsRemove, long Timestamp, string? FullName, string? FirstName);

/// <summary>One history chunk's bookkeeping (the messages go to the message store).</summary>
public sealed record HistoryChunk(string ChunkKey, long? Phase, long? ChunkOrder, long? Progress, int MessageCount, int ChatCount);

public sealed record HistoryDecline(long? Code, string? Title, string? Message, string? Details);

/// <summary>An item that could not be used, kept with its reason where an operator can find it.</summary>
public sealed record QuarantinedItem(string Pointer, string Reason, string ItemJson);
