using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// A batch ready to send: its operations, the summary that each of its summary operations writes, the chats to recount
/// afterwards, the stored messages to move to an earlier key after it, and the row key of each message that ends
/// in another row than its own key (a stored copy's); the others end at their own key.
/// </summary>
internal sealed record PlannedBatch(
    IReadOnlyList<TableTransactionAction> Actions,
    IReadOnlyList<(int ActionIndex, ChatSummary Summary)> Summaries,
    IReadOnlyList<string> ChatsToRecount,
    IReadOnlyList<PlannedMove> Moves,
    IReadOnlyDictionary<string, string> RowKeys);
