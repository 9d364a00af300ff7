using Azure;
using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// A chat's summary row <c>s|{chatId}</c> in the Messages table, as last read or written. It lives in the
/// messages' own partition so that every batch that creates message rows updates the count in the same
/// transaction: both or neither (docs/data-model.md). The ETag makes the next update conditional.
/// <see cref="Superseded"/> marks the chat of a customer who changed number or user id (kept with a count of 0 once
/// its messages moved), so that a writer that adds to it afterwards knows to reconcile (<see cref="IdentityStore"/>).
/// </summary>
internal sealed record ChatSummary(string ChatId, long MessageCount, long LastMessageAt, ETag ETag, bool Superseded = false,
    ChatCustomer? Customer = null)
{
    public ChatSummaryEntity ToEntity(string phoneNumberId) => new(phoneNumberId, this);

    public static ChatSummary FromEntity(TableEntity row) =>
        new(row.GetString(MessagesTable.Columns.ChatId) ?? row.RowKey[MessagesTable.SummaryRowPrefix.Length..],
            row.GetInt64(MessagesTable.Columns.MessageCount) ?? 0, row.GetInt64(MessagesTable.Columns.LastMessageAt) ?? 0, row.ETag,
            row.GetBoolean(MessagesTable.Columns.Superseded) ?? false,
            row.GetString(MessagesTable.Columns.CustomerFrom) is { } from
                ? new ChatCustomer(from, row.GetString(MessagesTable.Columns.UserId), row.GetString(MessagesTable.Columns.ParentUserId),
                    row.GetString(MessagesTable.Columns.Username))
                : null);
}
