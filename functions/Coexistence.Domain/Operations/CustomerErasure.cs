using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Coexistence.Archive;
using Coexistence.Media;
using Coexistence.Storage;
using Coexistence.Tables;
using Microsoft.Extensions.Logging;

namespace Coexistence.Operations;

/// <summary>
/// <c>coexistence erase &lt;phone_number_id&gt; --customer &lt;id&gt;</c>: a deletion request of one customer of a number. The
/// customer is a chat id (phone digits or a BSUID) and every id linked to it (<c>l|</c> rows) or reached through a change
/// of number or user id (<c>n|</c> rows). Deletes their chats (<c>c|</c>), the messages' index rows, pending facts and
/// statuses, statuses whose recipient they are, their summaries, links and change rows, their contact rows, the number's
/// Quarantine rows that mention them, and rewrites every archived body of the number that names them without their items
/// (<see cref="CustomerRedaction"/>, on the blob's ETag, marked <c>redacted=true</c>). The record <c>x|c|{customerId}</c> is
/// written first (<c>erasing</c>, with the ids): from then on the consumers filter those ids out of changes of webhooks
/// first received until then. Resumable and idempotent like <see cref="NumberErasure"/>.
/// </summary>
public sealed class CustomerErasure
{
    public const string RedactedMetadata = "redacted";
    private const int MaxBlobAttempts = 5;

    private readonly StorageClients storage;
    private readonly ErasureStore records;
    private readonly TimeProvider time;
    private readonly ILogger<CustomerErasure> logger;

    internal CustomerErasure(StorageClients storage, ErasureStore records, TimeProvider time, ILogger<CustomerErasure> logger) =>
        (this.storage, this.records, this.time, this.logger) = (storage, records, time, logger);

    private TableClient Messages => storage.Table(storage.Names.MessagesTable);

    /// <summary>What an erasure of the customer would remove now; nothing is written.</summary>
    public async Task<ErasureResult> PlanAsync(string phoneNumberId, string customerId, CancellationToken cancellationToken)
    {
        var existing = await records.ReadAsync(phoneNumberId, customerId, cancellationToken);
        if (!await NumberErasure.IsKnownAsync(storage, phoneNumberId, cancellationToken))
            return new ErasureResult(ErasureOutcome.UnknownNumber, ErasureCounts.None, null);
        var scope = await ScopeAsync(phoneNumberId, customerId, existing?.ErasedIds ?? [], cancellationToken);
        var redacted = 0L;
        foreach (var name in await RawArchive.BlobNamesOfNumberAsync(storage, phoneNumberId, cancellationToken))
            if (await RedactAsync(name, scope.Ids, write: false, cancellationToken)) redacted++;
        var media = 0L;
        foreach (var wamid in scope.MessageIds) media += (await MediaFiles.NamesAsync(storage, MediaFiles.Folder(phoneNumberId, wamid), cancellationToken)).Count;
        var counts = scope.Counts with { BlobsDeleted = media, BlobsRedacted = redacted, QueueMessages = null };
        return existing is null && counts.Rows == 0 && redacted == 0
            ? new ErasureResult(ErasureOutcome.UnknownCustomer, counts, null)
            : new ErasureResult(ErasureOutcome.Planned, counts, existing);
    }

    public async Task<ErasureResult> RunAsync(string phoneNumberId, string customerId, string erasedBy, CancellationToken cancellationToken)
    {
        var existing = await records.ReadAsync(phoneNumberId, customerId, cancellationToken);
        if (!await NumberErasure.IsKnownAsync(storage, phoneNumberId, cancellationToken))
            return new ErasureResult(ErasureOutcome.UnknownNumber, ErasureCounts.None, null);
        var resumed = existing?.State == NumbersTable.Erasing;
        var scope = await ScopeAsync(phoneNumberId, customerId, existing?.ErasedIds ?? [], cancellationToken);
        if (existing is null && scope.Counts.Rows == 0 && !await AnyBlobNamesAsync(phoneNumberId, scope.Ids, cancellationToken))
            return new ErasureResult(ErasureOutcome.UnknownCustomer, ErasureCounts.None, null);

        var ids = scope.Ids.Order(StringComparer.Ordinal).ToList();
        ids.Remove(customerId);
        ids.Insert(0, customerId);
        var record = resumed
            ? existing! with { ErasedIds = ids }
            : new ErasureRecord(phoneNumberId, customerId, ids, time.GetUtcNow(), erasedBy, NumbersTable.Erasing, null,
                ErasureCounts.None with { QueueMessages = null });
        // First the record: from now on the consumers filter these ids out of changes received until ErasedAt.
        await records.SaveAsync(record, cancellationToken);
        logger.LogInformation("Erasing a customer of {PhoneNumberId} ({Ids} ids, erased at {ErasedAt}, by {ErasedBy}, resumed {Resumed})",
            phoneNumberId, ids.Count, record.ErasedAt, record.ErasedBy, resumed);

        async Task Step(Func<ErasureCounts, Task<ErasureCounts>> step)
        {
            record = record with { Counts = await step(record.Counts) };
            await records.SaveAsync(record, cancellationToken);
        }

        // Messages first (each with its index, facts and statuses, in one batch), links and changes last: a resumed run
        // still finds the ids through them (and through the record).
        Task<long> DeleteAsync(string table, IEnumerable<IReadOnlyList<string>> groups) =>
            RowDeletion.DeleteAsync(storage.Table(table), phoneNumberId, groups, cancellationToken);
        IEnumerable<IReadOnlyList<string>> Single(IEnumerable<string> keys) => keys.Select(k => (IReadOnlyList<string>)[k]);

        // Their archived media files first (docs/media.md, "Erasure"): a resumed run finds their wamids through the rows still there.
        await Step(async c =>
        {
            long deleted = 0;
            foreach (var wamid in scope.MessageIds) deleted += await MediaFiles.DeleteAsync(storage, MediaFiles.Folder(phoneNumberId, wamid), cancellationToken);
            return c with { BlobsDeleted = c.BlobsDeleted + deleted };
        });
        await Step(async c => c with { Messages = c.Messages + await DeleteAsync(storage.Names.MessagesTable, scope.MessageGroups) });
        await Step(async c => c with { Messages = c.Messages + await DeleteAsync(storage.Names.MessagesTable, Single(scope.OtherMessageRows)) });
        await Step(async c => c with { Contacts = c.Contacts + await DeleteAsync(storage.Names.ContactsTable, Single(scope.ContactRows)) });
        await Step(async c => c with { Quarantine = c.Quarantine + await DeleteAsync(storage.Names.QuarantineTable, Single(scope.QuarantineRows)) });
        await Step(async c =>
        {
            long redacted = 0;
            foreach (var name in await RawArchive.BlobNamesOfNumberAsync(storage, phoneNumberId, cancellationToken))
                if (await RedactAsync(name, scope.Ids, write: true, cancellationToken)) redacted++;
            return c with { BlobsRedacted = c.BlobsRedacted + redacted };
        });
        await Step(async c => c with { Messages = c.Messages + await DeleteAsync(storage.Names.MessagesTable, Single(scope.IdentityRows)) });

        record = record with { State = NumbersTable.Erased, CompletedAt = time.GetUtcNow() };
        await records.SaveAsync(record, cancellationToken);
        logger.LogInformation("Erased a customer of {PhoneNumberId}: {Rows} rows, {Blobs} blobs redacted", phoneNumberId, record.Counts.Rows,
            record.Counts.BlobsRedacted);
        return new ErasureResult(ErasureOutcome.Erased, record.Counts, record, resumed);
    }

    /// <summary>What belongs to the customer, found by range queries of the number's partitions.</summary>
    private sealed record Scope(IReadOnlySet<string> Ids, IReadOnlyList<IReadOnlyList<string>> MessageGroups, IReadOnlyList<string> OtherMessageRows,
        IReadOnlyList<string> IdentityRows, IReadOnlyList<string> ContactRows, IReadOnlyList<string> QuarantineRows, IReadOnlyList<string> MessageIds)
    {
        public ErasureCounts Counts => ErasureCounts.None with
        {
            Messages = MessageGroups.Sum(g => g.Count) + OtherMessageRows.Count + IdentityRows.Count,
            Contacts = ContactRows.Count,
            Quarantine = QuarantineRows.Count,
        };
    }

    private static string Prefix(string partition, string prefix) => TableFilters.Range(partition, prefix, prefix[..^1] + "}");

    private async Task<Scope> ScopeAsync(string phoneNumberId, string customerId, IReadOnlyList<string> known, CancellationToken cancellationToken)
    {
        // The person's ids: the one asked for, those of an erasure this resumes, and every id links and changes tie to them.
        var ids = new HashSet<string>(known.Append(customerId), StringComparer.Ordinal);
        var identityRows = new List<(string RowKey, string? A, string? B)>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(Prefix(phoneNumberId, MessagesTable.LinkRowPrefix), cancellationToken: cancellationToken))
            identityRows.Add((row.RowKey, row.GetString(MessagesTable.Columns.UserId) ?? row.RowKey[MessagesTable.LinkRowPrefix.Length..],
                row.GetString(MessagesTable.Columns.Phone)));
        await foreach (var row in Messages.QueryAsync<TableEntity>(Prefix(phoneNumberId, MessagesTable.ChangeRowPrefix), cancellationToken: cancellationToken))
            identityRows.Add((row.RowKey, row.GetString(MessagesTable.Columns.OldId), row.GetString(MessagesTable.Columns.NewId)));
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (_, a, b) in identityRows)
                if ((a is not null && ids.Contains(a)) || (b is not null && ids.Contains(b)))
                    grew |= (a is not null && ids.Add(a)) | (b is not null && ids.Add(b));
        }

        // Their messages: chat rows and index rows, and per wamid its facts and statuses; statuses sent to them.
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string> Group(string messageId) => groups.TryGetValue(messageId, out var g) ? g : groups[messageId] = [];
        var chatRows = new List<(string MessageId, string RowKey)>();
        foreach (var id in ids)
            await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.ChatRowsFilter(phoneNumberId, id),
                               select: ["RowKey", MessagesTable.Columns.MessageId], cancellationToken: cancellationToken))
                chatRows.Add((row.GetString(MessagesTable.Columns.MessageId) ?? row.RowKey, row.RowKey));
        var indexRows = new List<(string MessageId, string RowKey)>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(Prefix(phoneNumberId, MessagesTable.IndexRowPrefix),
                           select: ["RowKey", MessagesTable.Columns.MessageId, MessagesTable.Columns.ChatId], cancellationToken: cancellationToken))
            if (row.GetString(MessagesTable.Columns.ChatId) is { } chat && ids.Contains(chat))
                indexRows.Add((row.GetString(MessagesTable.Columns.MessageId) ?? row.RowKey, row.RowKey));
        var wamids = new HashSet<string>(chatRows.Select(r => r.MessageId).Concat(indexRows.Select(r => r.MessageId)), StringComparer.Ordinal);
        var other = new List<string>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(Prefix(phoneNumberId, MessagesTable.StatusRowPrefix),
                           select: ["RowKey", MessagesTable.Columns.MessageId, MessagesTable.Columns.RecipientId, MessagesTable.Columns.RecipientUserId],
                           cancellationToken: cancellationToken))
        {
            if (row.GetString(MessagesTable.Columns.MessageId) is { } wamid && wamids.Contains(wamid)) Group(wamid).Add(row.RowKey);
            else if (ids.Contains(row.GetString(MessagesTable.Columns.RecipientId) ?? "")
                     || ids.Contains(row.GetString(MessagesTable.Columns.RecipientUserId) ?? ""))
                other.Add(row.RowKey);
        }
        await foreach (var row in Messages.QueryAsync<TableEntity>(Prefix(phoneNumberId, MessagesTable.PendingRowPrefix),
                           select: ["RowKey", MessagesTable.Columns.MessageId], cancellationToken: cancellationToken))
            if (row.GetString(MessagesTable.Columns.MessageId) is { } wamid && wamids.Contains(wamid)) Group(wamid).Add(row.RowKey);
        foreach (var (wamid, rowKey) in indexRows) Group(wamid).Add(rowKey);
        foreach (var (wamid, rowKey) in chatRows) Group(wamid).Add(rowKey); // the chat row last: its group is deleted in one batch
        foreach (var id in ids)
            if (await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.SummaryRowKey(id), cancellationToken) is not null)
                other.Add(MessagesTable.SummaryRowKey(id));

        var named = identityRows.Where(r => (r.A is not null && ids.Contains(r.A)) || (r.B is not null && ids.Contains(r.B))).Select(r => r.RowKey).ToList();

        var contacts = new List<string>();
        var contactTable = storage.Table(storage.Names.ContactsTable);
        foreach (var id in ids)
            if (await TableRows.GetOrNullAsync(contactTable, phoneNumberId, id, cancellationToken) is not null) contacts.Add(id);

        var quarantined = await RowDeletion.KeysAsync(storage.Table(storage.Names.QuarantineTable), TableFilters.Partition(phoneNumberId), cancellationToken,
            row => ids.Any(id => Mentions(row.GetString(QuarantineTable.Columns.Item), id)
                                 || Mentions(row.GetString(QuarantineTable.Columns.ChangeMessage), id)),
            [QuarantineTable.Columns.Item, QuarantineTable.Columns.ChangeMessage]);

        return new Scope(ids, [.. groups.Values], other, named, contacts, quarantined, [.. wamids.Order(StringComparer.Ordinal)]);
    }

    private static bool Mentions(string? text, string id) => text is not null && text.Contains(id, StringComparison.Ordinal);

    private async Task<bool> AnyBlobNamesAsync(string phoneNumberId, IReadOnlySet<string> ids, CancellationToken cancellationToken)
    {
        foreach (var name in await RawArchive.BlobNamesOfNumberAsync(storage, phoneNumberId, cancellationToken))
            if (await RedactAsync(name, ids, write: false, cancellationToken)) return true;
        return false;
    }

    /// <summary>
    /// Whether the blob names the customer; with <paramref name="write"/>, rewrites it without their items on the ETag it
    /// was read with (again from the start when someone changed it meanwhile), keeping its metadata and adding
    /// <c>redacted=true</c>.
    /// </summary>
    private async Task<bool> RedactAsync(string blobName, IReadOnlySet<string> ids, bool write, CancellationToken cancellationToken)
    {
        var blob = storage.Container(storage.Names.RawArchiveContainer).GetBlobClient(blobName);
        for (var attempt = 1; ; attempt++)
        {
            BlobDownloadResult download;
            try
            {
                download = (await blob.DownloadContentAsync(cancellationToken)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return false;
            }
            var bytes = download.Content.ToArray();
            int removed;
            try
            {
                removed = CustomerRedaction.RedactInPlace(bytes, ids);
            }
            catch (System.Text.Json.JsonException)
            {
                return false; // not JSON (the door archives only bodies it could read): nothing to take out
            }
            if (removed == 0 || !write) return removed > 0;

            var metadata = new Dictionary<string, string>(download.Details.Metadata, StringComparer.OrdinalIgnoreCase) { [RedactedMetadata] = "true" };
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(bytes), new Azure.Storage.Blobs.Models.BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = download.Details.ContentType ?? "application/json" },
                    Metadata = metadata,
                    Conditions = new BlobRequestConditions { IfMatch = download.Details.ETag },
                }, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 && attempt < MaxBlobAttempts)
            {
            }
        }
    }
}
