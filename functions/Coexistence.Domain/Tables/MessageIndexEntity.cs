using Azure;
using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>The wamid index row <c>m|{messageKey}</c> of a chat row: where the message is (docs/data-model.md), read from that row.</summary>
internal sealed class MessageIndexEntity(ChatRowEntity chatRow) : ITableEntity
{
    public string PartitionKey { get; set; } = chatRow.PartitionKey;
    public string RowKey { get; set; } = MessagesTable.IndexRowKey(chatRow.MessageId);
    /// <summary>Not kept: these rows are only written through this type (the SDK sends neither), never read back.</summary>
    public DateTimeOffset? Timestamp { get => null; set { } }
    /// <summary>Not kept, as <see cref="Timestamp"/>; a conditional write gives its ETag to the transaction action instead.</summary>
    public ETag ETag { get => default; set { } }

    public string MessageId => chatRow.MessageId;
    public string ChatId => chatRow.ChatId;
    public string ChatRowKey => chatRow.RowKey;
}
