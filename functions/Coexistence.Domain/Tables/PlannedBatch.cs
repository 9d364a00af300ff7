using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>A batch ready to send: its operations, and the summary that each of its summary operations writes.</summary>
internal sealed record PlannedBatch(
    IReadOnlyList<TableTransactionAction> Actions,
    IReadOnlyList<(int ActionIndex, ChatSummary Summary)> Summaries,
    IReadOnlyList<string> ChatsToRecount);
