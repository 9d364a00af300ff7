using Azure;
using Azure.Data.Tables;

namespace Coexistence.Storage;

/// <summary>The wamid index row <c>m|{messageKey}</c>: where the message's chat row is (docs/data-model.md).</summary>
public sealed class MessageIndexEntity(string phoneNumberId, string rowKey, string messageId, string chatId, string chatRowKey) : ITableEntity
{
    public string PartitionKey { get; set; } = phoneNumberId;
    public string RowKey { get; set; } = rowKey;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string MessageId => messageId;
    public string ChatId => chatId;
    public string ChatRowKey => chatRowKey;
}
