using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Media;

/// <summary>
/// The error budget of a throttle key's media requests (docs/media.md, "Throttling"), shared by every instance through
/// one row of the Numbers table (<see cref="NumbersTable.MediaThrottleRowKey"/>). 360dialog blocks a number's media
/// endpoint for an hour after more than 5 failed requests in an hour, so every failed request counts (an expired id's
/// 404 too): once <see cref="MediaOptions.ErrorBudgetPerHour"/> fell within an hour, downloads of the key pause for
/// <see cref="MediaOptions.ErrorPauseMinutes"/>; a <c>Retry-After</c> pauses them at least that long.
/// </summary>
internal sealed class MediaThrottle(StorageClients storage, MediaOptions options, TimeProvider time)
{
    private const int MaxConflictRetries = 8;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private TableClient Table => storage.Table(storage.Names.NumbersTable);

    /// <summary>How long downloads of the key must still wait, or null when one may start now.</summary>
    public async Task<TimeSpan?> WaitAsync(string throttleKey, CancellationToken cancellationToken)
    {
        var row = await TableRows.GetOrNullAsync(Table, throttleKey, NumbersTable.MediaThrottleRowKey, cancellationToken);
        var left = (row?.GetDateTimeOffset(NumbersTable.Columns.PausedUntil) ?? DateTimeOffset.MinValue) - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>
    /// One failed provider request: counted in the key's last hour, and a pause when the provider asked for one
    /// (<paramref name="retryAfter"/>) or the budget is spent. Returns the pause now in force, if any.
    /// </summary>
    public async Task<TimeSpan?> RecordErrorAsync(string throttleKey, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var row = await TableRows.GetOrNullAsync(Table, throttleKey, NumbersTable.MediaThrottleRowKey, cancellationToken);
            var errors = ErrorTimesOf(row).Where(t => now - DateTimeOffset.FromUnixTimeSeconds(t) < Window).Append(now.ToUnixTimeSeconds()).ToList();
            var pausedUntil = row?.GetDateTimeOffset(NumbersTable.Columns.PausedUntil) ?? DateTimeOffset.MinValue;
            var reason = row?.GetString(NumbersTable.Columns.PauseReason);
            if (retryAfter is { } wait && now + wait > pausedUntil) (pausedUntil, reason) = (now + wait, "the provider asked to retry later (Retry-After)");
            if (errors.Count >= options.ErrorBudgetPerHour)
            {
                var pause = now + TimeSpan.FromMinutes(options.ErrorPauseMinutes);
                if (pause > pausedUntil) (pausedUntil, reason) = (pause, $"{errors.Count} failed requests within an hour");
                errors.Clear();
            }
            var entity = new TableEntity(throttleKey, NumbersTable.MediaThrottleRowKey)
            {
                [NumbersTable.Columns.ErrorTimes] = string.Join(',', errors.Select(t => t.ToString(CultureInfo.InvariantCulture))),
                [NumbersTable.Columns.PausedUntil] = pausedUntil == DateTimeOffset.MinValue ? null : pausedUntil,
                [NumbersTable.Columns.PauseReason] = reason,
            };
            try
            {
                if (row is null) await Table.AddEntityAsync(entity, cancellationToken);
                else await Table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
                var left = pausedUntil - now;
                return left > TimeSpan.Zero ? left : null;
            }
            catch (RequestFailedException e) when (TableRows.IsConflict(e) && attempt < MaxConflictRetries)
            {
                // Another instance counted an error meanwhile: count this one on top of it.
            }
        }
    }

    private static IEnumerable<long> ErrorTimesOf(TableEntity? row) =>
        (row?.GetString(NumbersTable.Columns.ErrorTimes) ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(t => long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (long?)null)
        .OfType<long>();
}
