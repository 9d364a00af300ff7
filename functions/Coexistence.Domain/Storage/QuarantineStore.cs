using Azure.Data.Tables;
using Coexistence.Processing;
using Coexistence.Queueing;
using Coexistence.Webhooks;

namespace Coexistence.Storage;

/// <summary>
/// Items that could not be used, with the reason, where an operator can find them: the Quarantine
/// table, partition = phone_number_id (<c>unroutable</c> for a queue message that names none).
/// Keys derive from the webhook, change and item position, so redeliveries overwrite, never multiply.
/// </summary>
public sealed class QuarantineStore(StorageClients storage, TimeProvider time)
{
    public const string UnroutablePartition = "unroutable";

    private TableClient Table => storage.Table(storage.Names.QuarantineTable);

    public async Task RecordItemsAsync(ChangeMessage message, IReadOnlyList<QuarantinedItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return;
        var groups = items.DistinctBy(i => i.Pointer).Select(item => (IReadOnlyList<TableTransactionAction>)
        [
            new(TableTransactionActionType.UpsertReplace, new TableEntity(message.PhoneNumberId,
                $"item|{message.Kind.ToField()}|{message.WebhookId}|{message.ChangeIndex}|{KeyEncoding.Encode(item.Pointer)}")
            {
                ["Kind"] = message.Kind.ToField(),
                ["Reason"] = item.Reason,
                ["Pointer"] = item.Pointer,
                ["Item"] = item.ItemJson,
                ["WebhookId"] = message.WebhookId,
                ["ChangeIndex"] = message.ChangeIndex,
                ["ArchiveBlob"] = message.ArchiveBlob,
                ["ReceivedAt"] = message.ReceivedAt,
            }),
        ]);
        await TableBatches.SubmitAsync(Table, groups, 2, cancellationToken);
    }

    /// <summary>A whole queue message that can never be processed (it also goes to the poison queue).</summary>
    public Task RecordMessageAsync(string? phoneNumberId, string messageId, string reason, string messageText, CancellationToken cancellationToken)
    {
        var row = new TableEntity(phoneNumberId ?? UnroutablePartition, "message|" + KeyEncoding.Encode(messageId))
        {
            ["Reason"] = reason,
            ["Message"] = messageText.Length > 30_000 ? messageText[..30_000] : messageText,
            ["RecordedAt"] = time.GetUtcNow(),
        };
        return Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }
}
