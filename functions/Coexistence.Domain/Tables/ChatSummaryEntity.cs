using Azure;
using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// A chat summary as the row written: <c>ChatId</c>, <c>MessageCount</c>, <c>LastMessageAt</c>, <c>Superseded</c>, and the
/// chat's customer (<c>CustomerFrom</c>, <c>UserId</c>, <c>ParentUserId</c>, <c>Username</c>) (docs/data-model.md). Null
/// properties are not sent: a merge leaves what the row holds.
/// </summary>
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
    public string? CustomerFrom => summary.Customer?.From;
    public string? UserId => summary.Customer?.UserId;
    public string? ParentUserId => summary.Customer?.ParentUserId;
    public string? Username => summary.Customer?.Username;
}
