using Azure;
using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>A chat summary as the row written: <c>ChatId</c>, <c>MessageCount</c>, <c>LastMessageAt</c>, <c>Superseded</c> (docs/data-model.md).</summary>
internal sealed class ChatSummaryEntity(string phoneNumberId, ChatSummary summary) : ITableEntity
{
    public string PartitionKey { get; set; } = phoneNumberId;
    public string RowKey { get; set; } = MessagesTable.SummaryRowKey(summary.ChatId);
    /// <summary>Not kept: written through this type, read back as a <see cref="TableEntity"/> (<see cref="ChatSummary.FromEntity"/>).</summary>
    public DateTimeOffset? Timestamp { get => null; set { } }
    /// <summary>Not kept; a conditional write gives the ETag to its transaction action or call.</summary>
    public ETag ETag { get => default; set { } }

    public string ChatId => summary.ChatId;
    public long MessageCount => summary.MessageCount;
    public long LastMessageAt => summary.LastMessageAt;
    /// <summary>Written only when true (a null property is not sent), so the summaries of other chats stay as they were.</summary>
    public bool? Superseded => summary.Superseded ? true : null;
}
