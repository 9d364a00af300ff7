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
    public TableEntity ToEntity(string phoneNumberId) => new(phoneNumberId, MessageRows.SummaryRowKey(ChatId))
    {
        ["ChatId"] = ChatId,
        ["MessageCount"] = MessageCount,
        ["LastMessageAt"] = LastMessageAt,
    };

    public static ChatSummary FromEntity(TableEntity row) =>
        new(row.GetString("ChatId") ?? row.RowKey[MessageRows.SummaryRowPrefix.Length..], row.GetInt64("MessageCount") ?? 0, row.GetInt64("LastMessageAt") ?? 0, row.ETag);
}
