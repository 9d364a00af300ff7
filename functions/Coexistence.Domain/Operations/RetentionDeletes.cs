using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Coexistence.Storage;

namespace Coexistence.Operations;

/// <summary>
/// The deletes of retention, each one safe to repeat: table rows on the ETag they were read with, in entity-group
/// transactions of up to 100; archive blobs by day folder. A row changed or gone since it was read (a message merged,
/// moved or erased meanwhile) is left to the next run, which reads it again.
/// </summary>
internal static class RetentionDeletes
{
    /// <summary>
    /// Deletes the groups of rows of one partition (a group's rows in order, and never split across transactions, so a
    /// message's chat row and index row go together). A transaction refused because one of its rows changed or is gone is
    /// done again row by row: a row gone is skipped, a row changed ends its group (its index row stays with it).
    /// </summary>
    /// <returns>How many rows of each group's position were deleted (the chat rows, then the index rows, ...).</returns>
    public static async Task<int[]> DeleteAsync(TableClient table, string partitionKey, IReadOnlyList<IReadOnlyList<(string RowKey, ETag ETag)>> groups,
        int positions, CancellationToken cancellationToken)
    {
        var deleted = new int[positions];
        foreach (var batch in Batches(groups))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await table.SubmitTransactionAsync(batch.SelectMany(g => g).Select(row => new TableTransactionAction(TableTransactionActionType.Delete,
                    new TableEntity(partitionKey, row.RowKey), row.ETag)), cancellationToken);
                foreach (var group in batch)
                    for (var i = 0; i < group.Count; i++) deleted[i]++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412 or 409)
            {
                foreach (var group in batch)
                    for (var i = 0; i < group.Count; i++)
                    {
                        var outcome = await DeleteOneAsync(table, partitionKey, group[i], cancellationToken);
                        if (outcome == true) deleted[i]++;
                        else if (outcome is null) break;
                    }
            }
        }
        return deleted;
    }

    /// <summary>True: deleted; false: already gone; null: changed since it was read (kept).</summary>
    private static async Task<bool?> DeleteOneAsync(TableClient table, string partitionKey, (string RowKey, ETag ETag) row, CancellationToken cancellationToken)
    {
        try
        {
            // The SDK answers a row not found with its 404 response rather than an exception.
            var response = await table.DeleteEntityAsync(partitionKey, row.RowKey, row.ETag, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    private static IEnumerable<List<IReadOnlyList<(string RowKey, ETag ETag)>>> Batches(IReadOnlyList<IReadOnlyList<(string RowKey, ETag ETag)>> groups)
    {
        var batch = new List<IReadOnlyList<(string RowKey, ETag ETag)>>();
        var operations = 0;
        foreach (var group in groups)
        {
            if (group.Count == 0) continue;
            if (batch.Count > 0 && operations + group.Count > TableBatches.MaxOperations)
            {
                yield return batch;
                batch = [];
                operations = 0;
            }
            batch.Add(group);
            operations += group.Count;
        }
        if (batch.Count > 0) yield return batch;
    }

    /// <summary>
    /// Deletes (or, in a dry run, counts) the blobs of the day folders <c>{folder}/{yyyy}/{MM}/{dd}/</c> dated before
    /// <paramref name="firstKept"/>, listing by prefix: years and months after it are not listed further.
    /// </summary>
    public static async Task<int> DeleteDayFoldersBeforeAsync(BlobContainerClient container, string folder, DateOnly firstKept, bool dryRun,
        CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var (yearPrefix, year) in await SubfoldersAsync(container, folder + "/", cancellationToken))
        {
            if (year > firstKept.Year) continue;
            foreach (var (monthPrefix, month) in await SubfoldersAsync(container, yearPrefix, cancellationToken))
            {
                if (month is < 1 or > 12 || (year, month).CompareTo((firstKept.Year, firstKept.Month)) > 0) continue;
                foreach (var (dayPrefix, day) in await SubfoldersAsync(container, monthPrefix, cancellationToken))
                {
                    if (day < 1 || day > DateTime.DaysInMonth(year, month) || new DateOnly(year, month, day) >= firstKept) continue;
                    await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, dayPrefix, cancellationToken))
                    {
                        if (dryRun) count++;
                        else if ((await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value) count++;
                    }
                }
            }
        }
        return count;
    }

    /// <summary>The numbered sub-folders of a prefix (<c>2025/</c>, <c>11/</c>, ...) and their numbers; other names are ignored.</summary>
    private static async Task<List<(string Prefix, int Number)>> SubfoldersAsync(BlobContainerClient container, string prefix,
        CancellationToken cancellationToken)
    {
        var found = new List<(string, int)>();
        await foreach (var item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken))
            if (item.IsPrefix && int.TryParse(item.Prefix.AsSpan(prefix.Length).TrimEnd('/'), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 9999)
                found.Add((item.Prefix, number));
        return found;
    }
}
