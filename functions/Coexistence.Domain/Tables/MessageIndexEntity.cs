using Azure;
using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>The wamid index row <c>m|{messageKey}</c>: where the message's chat row is (docs/data-model.md), read from that row.</summary>
internal sealed class MessageIndexEntity(string phoneNumberId, string rowKey, ChatRowEntity chatRow) : ITableEntity
{
    public string PartitionKey { get; set; } = phoneNumberId;
    public string RowKey { get; set; } = rowKey;
    /// <summary>Not kept: these rows are only written through this type (the SDK sends neither), never read back.</summary>
    public DateTimeOffset? Timestamp { get => null; set { } }
    /// <summary>Not kept, as <see cref="Timestamp"/>; a conditional write gives its ETag to the transaction action instead.</summary>
    public ETag ETag { get => default; set { } }

    public string MessageId => chatRow.MessageId;
    public string ChatId => chatRow.ChatId;
    public string ChatRowKey => chatRow.RowKey;
}
