using Azure;
using Azure.Data.Tables;
using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>
/// A message's chat row <c>c|{chatId}|{sentAt:D12}|{messageKey}</c> as a chunk or an echo writes it: only the
/// properties the message writers own (docs/data-model.md), read straight from the parsed message, so planning a
/// chunk allocates one small object per row instead of a property dictionary. The SDK serializes every public
/// property and leaves out nulls, which keeps optional properties absent.
/// </summary>
internal sealed class ChatRowEntity(string phoneNumberId, string rowKey, ChatMessage message) : ITableEntity
{
    public string PartitionKey { get; set; } = phoneNumberId;
    public string RowKey { get; set; } = rowKey;
    /// <summary>Not kept: these rows are only written through this type (the SDK sends neither), never read back.</summary>
    public DateTimeOffset? Timestamp { get => null; set { } }
    /// <summary>Not kept, as <see cref="Timestamp"/>; a conditional write gives its ETag to the transaction action instead.</summary>
    public ETag ETag { get => default; set { } }

    public string MessageId => message.Id;
    public string ChatId => message.ChatId;
    public string Direction => MessagesTable.DirectionName(message.Direction);
    public string From => message.From;
    public string To => message.To;
    public long SentAt => message.Timestamp;
    public string Type => message.Type;
    public string Source => MessagesTable.SourceName(message.Source);
    public string? Status => message.Status;
    public string? Text => message.Text;
    public string? Content => message.ContentJson;
    public string? MediaId => message.Media?.Id;
    public string? MediaMimeType => message.Media?.MimeType;
    public string? MediaSha256 => message.Media?.Sha256;
    public string? MediaCaption => message.Media?.Caption;
    public string? UserId => message.UserId;
    public string? ParentUserId => message.ParentUserId;
    public string? Username => message.Username;
    public string? ReplyToId => message.Context?.ReplyToId;
    public string? ReplyToFrom => message.Context?.ReplyToFrom;
    /// <summary>Written only when true (null is not sent), like every optional column.</summary>
    public bool? Forwarded => message.Context?.Forwarded == true ? true : null;
    public bool? FrequentlyForwarded => message.Context?.FrequentlyForwarded == true ? true : null;
    public string? Referral => message.Context?.ReferralJson;
    public string? Errors => message.ErrorsJson;
    // Each side's reaction, when a chunk held it with its message (MessagesTable.Columns.ReactionOf; facts patch the same columns).
    public string? CustomerReaction => message.CustomerReaction?.Emoji;
    public string? CustomerReactionId => message.CustomerReaction?.ReactionId;
    public long? CustomerReactionAt => message.CustomerReaction?.Timestamp;
    public string? BusinessReaction => message.BusinessReaction?.Emoji;
    public string? BusinessReactionId => message.BusinessReaction?.ReactionId;
    public long? BusinessReactionAt => message.BusinessReaction?.Timestamp;
}
