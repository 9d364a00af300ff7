using Azure;
using Azure.Data.Tables;

namespace Coexistence.Storage;

/// <summary>Single-row reads and deletes that answer "not there" instead of throwing, and the conflicts worth a second look.</summary>
internal static class TableRows
{
    public static async Task<TableEntity?> GetOrNullAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public static async Task DeleteIfExistsAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>Optimistic-concurrency conflicts: someone else changed or created the row between our read and write.</summary>
    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;
}
