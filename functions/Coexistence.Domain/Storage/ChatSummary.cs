using Azure;
using Azure.Data.Tables;

namespace Coexistence.Storage;

/// <summary>
/// A chat's summary row <c>s|{chatId}</c> in the Messages table, as last read or written. It lives in the
/// messages' own partition so that every batch that creates message rows updates the count in the same
/// transaction: both or neither (docs/data-model.md). The ETag makes the next update conditional.
/// </summary>
public sealed record ChatSummary(string ChatId, long MessageCount, long LastMessageAt, ETag ETag)
{
    public ChatSummaryEntity ToEntity(string phoneNumberId) => new(phoneNumberId, this);

    public static ChatSummary FromEntity(TableEntity row) =>
        new(row.GetString("ChatId") ?? row.RowKey[MessageRows.SummaryRowPrefix.Length..], row.GetInt64("MessageCount") ?? 0, row.GetInt64("LastMessageAt") ?? 0, row.ETag);
}

/// <summary>A chat summary as the row written: <c>ChatId</c>, <c>MessageCount</c>, <c>LastMessageAt</c> (docs/data-model.md).</summary>
public sealed class ChatSummaryEntity(string phoneNumberId, ChatSummary summary) : ITableEntity
{
    public string PartitionKey { get; set; } = phoneNumberId;
    public string RowKey { get; set; } = MessageRows.SummaryRowKey(summary.ChatId);
    /// <summary>Not kept: written through this type, read back as a <see cref="TableEntity"/> (<see cref="ChatSummary.FromEntity"/>).</summary>
    public DateTimeOffset? Timestamp { get => null; set { } }
    /// <summary>Not kept; a conditional write gives the ETag to its transaction action or call.</summary>
    public ETag ETag { get => default; set { } }

    public string ChatId => summary.ChatId;
    public long MessageCount => summary.MessageCount;
    public long LastMessageAt => summary.LastMessageAt;
}
