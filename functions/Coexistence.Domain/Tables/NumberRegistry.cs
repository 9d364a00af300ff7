using Azure;
using Azure.Data.Tables;
using Coexistence.Changes;
using Coexistence.Model;
using Coexistence.Storage;
using Coexistence.Telemetry;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tables;

/// <summary>
/// The registry of business numbers and their lifecycle events, in the Numbers table (<see cref="NumbersTable"/>).
/// <list type="bullet">
/// <item>Every processed change of a number teaches the registry its WABA, display number and receipt times
/// (<see cref="LearnAsync"/>): nothing is written unless something changed (a new WABA or display, an earlier first
/// receipt, a later minute).</item>
/// <item>An <c>account_update</c> is recorded under its WABA, then attributed to the WABA's known numbers that it is about
/// (<see cref="RecordAccountEventAsync"/>); a number the WABA gains later gets the WABA's earlier events then.</item>
/// </list>
/// Either side writes first and reads the other second, so an event and its number's first webhook, processed at the
/// same moment in either order, still meet: one of them sees the other's row.
/// </summary>
internal sealed class NumberRegistry(StorageClients storage, NumberSnapshots snapshots, ILogger<NumberRegistry> logger)
{
    private const int MaxAttempts = 5;

    private TableClient Table => storage.Table(storage.Names.NumbersTable);

    /// <summary>
    /// Records what <paramref name="message"/> says of its number, given the registry row read before processing (in
    /// <paramref name="snapshot"/>). The WABA index and the WABA's earlier events come before the registry row, which
    /// is the mark that they are done: a crash in between leaves the row as it was, and the next change does them again.
    /// </summary>
    public async Task LearnAsync(ChangeMessage message, NumberSnapshot snapshot, CancellationToken cancellationToken)
    {
        var row = snapshot.RegistryRow;
        for (var attempt = 1; ; attempt++)
        {
            var known = row is null ? null : NumbersTable.ReadRegistration(row);
            var learned = known?.Seen(message.WabaId, message.DisplayPhoneNumber, message.ReceivedAt)
                ?? NumberRegistration.First(message.Number, message.WabaId, message.DisplayPhoneNumber, message.ReceivedAt);
            if (learned == known) return;

            if (learned.WabaId is { } waba && (learned.WabaId != known?.WabaId || learned.DisplayPhoneNumber != known?.DisplayPhoneNumber))
            {
                await Table.UpsertEntityAsync(NumbersTable.WabaIndexRow(waba, learned.PhoneNumberId, learned.DisplayPhoneNumber), TableUpdateMode.Replace,
                    cancellationToken);
                await AttributeEarlierEventsAsync(waba, snapshot, learned.DisplayPhoneNumber, cancellationToken);
            }
            try
            {
                if (row is null) await Table.AddEntityAsync(NumbersTable.RegistryRow(learned), cancellationToken);
                else await Table.UpdateEntityAsync(NumbersTable.RegistryRow(learned), row.ETag, TableUpdateMode.Merge, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (TableRows.IsConflict(e) && attempt < MaxAttempts)
            {
                // Another change of the number wrote first: learn on top of what it wrote.
                row = await TableRows.GetOrNullAsync(Table, message.Number, NumbersTable.NumberRowKey, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Records an account event: under its WABA (when it names one), then in the partition of every number it is about.
    /// Returns the numbers it was attributed to (none yet when the WABA has no known number: it is kept, and attributed later).
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordAccountEventAsync(ChangeMessage message, AccountEvent accountEvent, CancellationToken cancellationToken)
    {
        var numberEvent = new NumberEvent(accountEvent, message.WabaId, message.ReceivedAt, message.WebhookId, message.ChangeId);
        List<string> numbers;
        if (message.PhoneNumberId is { } named)
            numbers = [named];
        else
        {
            await Table.UpsertEntityAsync(NumbersTable.EventRow(NumbersTable.AccountEventPartition(message.WabaId!), numberEvent, message.ArchiveBlob),
                TableUpdateMode.Replace, cancellationToken);
            numbers = [];
            await foreach (var index in Table.QueryAsync<TableEntity>(TableFilters.Partition(NumbersTable.WabaPartition(message.WabaId!)),
                               cancellationToken: cancellationToken))
                if (NumbersTable.IsAbout(numberEvent, index.GetString(NumbersTable.Columns.DisplayPhoneNumber)))
                    numbers.Add(index.RowKey);
        }
        foreach (var number in numbers)
        {
            // An event received before the number was erased is a late delivery: it stays under the WABA only.
            if ((await snapshots.ReadAsync(number, cancellationToken)).NumberErasedAt(numberEvent.ReceivedAt) is not null) continue;
            await AttributeAsync(number, numberEvent, message.ArchiveBlob, cancellationToken);
        }
        if (numbers.Count == 0)
            logger.LogInformation("Account event {AccountEvent} of WABA {WabaId} kept: no number of the WABA is known yet",
                AccountEvent.LoggableName(accountEvent.Event), message.WabaId);
        return numbers;
    }

    /// <summary>The registration of one number, or null when no webhook of it was processed yet.</summary>
    public async Task<NumberRegistration?> GetAsync(string phoneNumberId, CancellationToken cancellationToken) =>
        await TableRows.GetOrNullAsync(Table, phoneNumberId, NumbersTable.NumberRowKey, cancellationToken) is { } row
            ? NumbersTable.ReadRegistration(row)
            : null;

    /// <summary>Every registered number (a scan of the registry rows: an operator's question, not the consumers').</summary>
    public async Task<IReadOnlyList<NumberRegistration>> ListAsync(CancellationToken cancellationToken)
    {
        var numbers = new List<NumberRegistration>();
        await foreach (var row in Table.QueryAsync<TableEntity>($"RowKey eq {TableFilters.Quote(NumbersTable.NumberRowKey)}", cancellationToken: cancellationToken))
            if (NumbersTable.ReadRegistration(row) is { } number) numbers.Add(number);
        return numbers;
    }

    /// <summary>A number's lifecycle events, oldest first.</summary>
    public async Task<IReadOnlyList<NumberEvent>> EventsAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var events = new List<NumberEvent>();
        await foreach (var row in Table.QueryAsync<TableEntity>(NumbersTable.EventsFilter(phoneNumberId), cancellationToken: cancellationToken))
            events.Add(NumbersTable.ReadEvent(row));
        return events;
    }

    /// <summary>The WABA's events about the number, but none received before the number was erased (it is back: its past stays erased).</summary>
    private async Task AttributeEarlierEventsAsync(string wabaId, NumberSnapshot number, string? display, CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(NumbersTable.EventsFilter(NumbersTable.AccountEventPartition(wabaId)),
                           cancellationToken: cancellationToken))
        {
            var numberEvent = NumbersTable.ReadEvent(row);
            if (NumbersTable.IsAbout(numberEvent, display) && number.NumberErasedAt(numberEvent.ReceivedAt) is null)
                await AttributeAsync(number.PhoneNumberId, numberEvent, row.GetString(NumbersTable.Columns.ArchiveBlob) ?? "", cancellationToken);
        }
    }

    private async Task AttributeAsync(string phoneNumberId, NumberEvent numberEvent, string archiveBlob, CancellationToken cancellationToken)
    {
        var row = NumbersTable.EventRow(phoneNumberId, numberEvent, archiveBlob);
        try
        {
            await Table.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Known already (a redelivery, or the WABA's events attributed again): the row is rewritten, and nothing alerts twice.
            await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            return;
        }
        // What the lifecycle alert and the workbook read, once per event and number (names only, bounded; no display number).
        var name = AccountEvent.LoggableName(numberEvent.Event.Event);
        var reason = AccountEvent.LoggableReason(numberEvent.Event.Reason);
        CoexistenceTelemetry.LifecycleEvents.Add(1, new(CoexistenceTelemetry.PhoneNumberIdTag, phoneNumberId),
            new(CoexistenceTelemetry.LifecycleEventTag, name), new(CoexistenceTelemetry.ReasonTag, reason));
        logger.LogInformation("Lifecycle event {AccountEvent} for {PhoneNumberId}: reason {DisconnectionReason}, at {OccurredAt}",
            name, phoneNumberId, reason, DateTimeOffset.FromUnixTimeSeconds(numberEvent.Event.OccurredAt));
    }
}
