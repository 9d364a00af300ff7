using Coexistence.Archive;
using Coexistence.Storage;
using Coexistence.Tables;
using Microsoft.Extensions.Logging;

namespace Coexistence.Operations;

/// <summary>
/// Applies retention (docs/operations.md, "Retention"): per number, the table rows and the raw archive day folders older
/// than its days (its registry row's overrides, else <c>Retention:TableDays</c> and <c>Retention:ArchiveDays</c>; 0 keeps
/// forever); then, under the settings' days, Quarantine's <c>unroutable</c> rows and the archive's <c>unrouted/</c> folder.
/// An erased number is skipped (its erasure deals with it). The Function App's timer and <c>coexistence retention apply</c>
/// run it. Every delete is conditional or tolerant of a row already gone, so a run stopped anywhere is finished by the next.
/// </summary>
public sealed class RetentionSweep
{
    private readonly StorageClients storage;
    private readonly TableRetention tables;
    private readonly RetentionOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<RetentionSweep> logger;

    internal RetentionSweep(StorageClients storage, MessageStore messages, RetentionOptions options, TimeProvider time, ILogger<RetentionSweep> logger)
    {
        this.storage = storage;
        tables = new TableRetention(storage, messages);
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Sweeps one number, or every number and then what names none; a dry run deletes nothing and counts what would go.</summary>
    public async Task<RetentionRun> RunAsync(string? phoneNumberId, bool dryRun, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var numbers = phoneNumberId is null ? await RetentionNumbers.ListAsync(storage, cancellationToken) : [phoneNumberId];
        var results = new List<NumberRetentionResult>();
        foreach (var number in numbers)
        {
            var result = await SweepAsync(number, at, dryRun, cancellationToken);
            results.Add(result);
            if (!dryRun && result.Skipped is null)
                logger.LogInformation(
                    "Retention of {PhoneNumberId}: {Messages} messages, {IndexRows} index rows, {Facts} facts, {Statuses} statuses, "
                    + "{Quarantine} quarantine rows, "
                    + "{Blobs} archive blobs deleted; {Chats} chats recounted", number, result.Messages, result.IndexRows, result.Facts, result.Statuses,
                    result.Quarantine, result.Blobs, result.Chats);
        }
        var unrouted = phoneNumberId is null ? await SweepUnroutedAsync(at, dryRun, cancellationToken) : null;
        return new RetentionRun(dryRun, at, results, unrouted);
    }

    private async Task<NumberRetentionResult> SweepAsync(string phoneNumberId, DateTimeOffset at, bool dryRun, CancellationToken cancellationToken)
    {
        var retention = await RetentionNumbers.ReadAsync(storage, phoneNumberId, options, logger, cancellationToken);
        if (retention.Erased) return NumberRetentionResult.Erased(phoneNumberId);
        var result = retention.TableDays > 0
            ? await tables.RunAsync(phoneNumberId, at.AddDays(-retention.TableDays), dryRun, cancellationToken)
            : new NumberRetentionResult(phoneNumberId, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var blobs = retention.ArchiveDays > 0 ? await DeleteArchiveAsync(phoneNumberId, at, retention.ArchiveDays, dryRun, cancellationToken) : 0;
        return result with { TableDays = retention.TableDays, ArchiveDays = retention.ArchiveDays, Blobs = blobs };
    }

    private async Task<UnroutedRetentionResult> SweepUnroutedAsync(DateTimeOffset at, bool dryRun, CancellationToken cancellationToken)
    {
        var quarantine = 0;
        if (options.TableDays > 0)
        {
            var rows = await tables.OldQuarantineRowsAsync(QuarantineTable.UnroutablePartition, at.AddDays(-options.TableDays), cancellationToken);
            quarantine = dryRun ? rows.Count : await tables.DeleteQuarantineRowsAsync(QuarantineTable.UnroutablePartition, rows, cancellationToken);
        }
        var blobs = options.ArchiveDays > 0 ? await DeleteArchiveAsync(RawArchive.UnroutedFolder, at, options.ArchiveDays, dryRun, cancellationToken) : 0;
        if (!dryRun)
            logger.LogInformation("Retention of what names no number: {Quarantine} quarantine rows, {Blobs} archive blobs deleted", quarantine, blobs);
        return new UnroutedRetentionResult(options.TableDays, options.ArchiveDays, quarantine, blobs);
    }

    /// <summary>Day folders dated before the day <paramref name="days"/> days ago go (by their date: the day of first receipt).</summary>
    private Task<int> DeleteArchiveAsync(string folder, DateTimeOffset at, int days, bool dryRun, CancellationToken cancellationToken) =>
        RetentionDeletes.DeleteDayFoldersBeforeAsync(storage.Container(storage.Names.RawArchiveContainer), folder,
            DateOnly.FromDateTime(at.AddDays(-days).UtcDateTime), dryRun, cancellationToken);
}
