using Azure.Data.Tables;
using Coexistence.Changes;
using Coexistence.Model;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Tables;

/// <summary>
/// Items that could not be used, and change messages that can never be processed, with the reason, where an
/// operator can find them: the Quarantine table (<see cref="QuarantineTable"/>).
/// </summary>
internal sealed class QuarantineStore(StorageClients storage, TimeProvider time)
{
    private TableClient Table => storage.Table(storage.Names.QuarantineTable);

    public async Task RecordItemsAsync(ChangeMessage message, IReadOnlyList<QuarantinedItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return;
        var groups = items.DistinctBy(i => i.Pointer).Select(item => (IReadOnlyList<TableTransactionAction>)
        [
            new(TableTransactionActionType.UpsertReplace, new TableEntity(message.PhoneNumberId ?? QuarantineTable.UnroutablePartition,
                QuarantineTable.ItemRowKey(message.Kind, message.WebhookId, message.ChangeIndex, item.Pointer))
            {
                [QuarantineTable.Columns.Kind] = message.Kind.ToField(),
                [QuarantineTable.Columns.Reason] = item.Reason,
                [QuarantineTable.Columns.Pointer] = item.Pointer,
                [QuarantineTable.Columns.Item] = item.ItemJson,
                [QuarantineTable.Columns.WebhookId] = message.WebhookId,
                [QuarantineTable.Columns.ChangeIndex] = message.ChangeIndex,
                [QuarantineTable.Columns.ArchiveBlob] = message.ArchiveBlob,
                [QuarantineTable.Columns.ReceivedAt] = message.ReceivedAt,
            }),
        ]);
        await TableBatches.SubmitAsync(Table, groups, 2, cancellationToken);
    }

    /// <summary>A whole change message that can never be processed (it also goes to the poison or dead-letter queue).</summary>
    public Task RecordChangeAsync(string? phoneNumberId, string changeId, string reason, string messageText, CancellationToken cancellationToken)
    {
        var row = new TableEntity(phoneNumberId ?? QuarantineTable.UnroutablePartition, QuarantineTable.ChangeRowKey(changeId))
        {
            [QuarantineTable.Columns.Reason] = reason,
            [QuarantineTable.Columns.ChangeMessage] = messageText.Length > 30_000 ? messageText[..30_000] : messageText,
            [QuarantineTable.Columns.RecordedAt] = time.GetUtcNow(),
        };
        return Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The reason recorded for a change message, and when; nulls when none was recorded.</summary>
    public async Task<(string? Reason, DateTimeOffset? RecordedAt)> ReasonOfChangeAsync(string? phoneNumberId, string changeId,
        CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(phoneNumberId ?? QuarantineTable.UnroutablePartition,
            QuarantineTable.ChangeRowKey(changeId), [QuarantineTable.Columns.Reason, QuarantineTable.Columns.RecordedAt], cancellationToken);
        return row.HasValue
            ? (row.Value!.GetString(QuarantineTable.Columns.Reason), row.Value.GetDateTimeOffset(QuarantineTable.Columns.RecordedAt))
            : (null, null);
    }
}
