using Azure.Data.Tables;
using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the HistorySync table (docs/data-model.md): PartitionKey = phone_number_id; one row per chunk
/// received, <c>chunk|{phase:D2}|{chunk_order:D10}</c> (or <c>chunk|x|{hash}</c> for a chunk without them), and
/// one <c>declined</c> row when the business said no.
/// </summary>
internal static class HistorySyncTable
{
    public const string ChunkRowPrefix = "chunk|";
    public const string DeclinedRowKey = "declined";

    public static class Columns
    {
        public const string MessageCount = "MessageCount";
        public const string ChatCount = "ChatCount";
        public const string WebhookId = "WebhookId";
        public const string ReceivedAt = "ReceivedAt";
        public const string Phase = "Phase";
        public const string ChunkOrder = "ChunkOrder";
        public const string Progress = "Progress";
        public const string ErrorCode = "ErrorCode";
        public const string ErrorTitle = "ErrorTitle";
        public const string ErrorMessage = "ErrorMessage";
        public const string ErrorDetails = "ErrorDetails";
    }

    public static TableEntity ChunkRow(string phoneNumberId, HistoryChunk chunk, string webhookId, DateTimeOffset receivedAt)
    {
        var row = new TableEntity(phoneNumberId, ChunkRowPrefix + chunk.ChunkKey)
        {
            [Columns.MessageCount] = chunk.MessageCount,
            [Columns.ChatCount] = chunk.ChatCount,
            [Columns.WebhookId] = webhookId,
            [Columns.ReceivedAt] = receivedAt,
        };
        if (chunk.Phase is { } phase) row[Columns.Phase] = phase;
        if (chunk.ChunkOrder is { } order) row[Columns.ChunkOrder] = order;
        if (chunk.Progress is { } progress) row[Columns.Progress] = progress;
        return row;
    }

    public static TableEntity DeclineRow(string phoneNumberId, HistoryDecline decline, DateTimeOffset receivedAt)
    {
        var row = new TableEntity(phoneNumberId, DeclinedRowKey) { [Columns.ReceivedAt] = receivedAt };
        if (decline.Code is { } code) row[Columns.ErrorCode] = code;
        if (decline.Title is not null) row[Columns.ErrorTitle] = decline.Title;
        if (decline.Message is not null) row[Columns.ErrorMessage] = decline.Message;
        if (decline.Details is not null) row[Columns.ErrorDetails] = decline.Details;
        return row;
    }

    public static bool IsChunkRow(TableEntity row) => row.RowKey.StartsWith(ChunkRowPrefix, StringComparison.Ordinal);

    public static bool IsDeclineRow(TableEntity row) => row.RowKey == DeclinedRowKey;

    /// <summary>A decline row's error: its code, and its message (or title when it has none).</summary>
    public static HistorySyncError ReadError(TableEntity declineRow) =>
        new(declineRow.GetInt64(Columns.ErrorCode), declineRow.GetString(Columns.ErrorMessage) ?? declineRow.GetString(Columns.ErrorTitle));
}
