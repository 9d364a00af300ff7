using Azure.Data.Tables;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>Reads a <see cref="NumberSnapshot"/>: one range query of the number's partition of the Numbers table.</summary>
internal sealed class NumberSnapshots(StorageClients storage)
{
    private TableClient Table => storage.Table(storage.Names.NumbersTable);

    public async Task<NumberSnapshot> ReadAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        TableEntity? registry = null;
        var erasures = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(NumbersTable.RegistryAndErasuresFilter(phoneNumberId), cancellationToken: cancellationToken))
        {
            if (row.RowKey == NumbersTable.NumberRowKey) registry = row;
            else if (row.RowKey.StartsWith(NumbersTable.ErasureRowPrefix, StringComparison.Ordinal)) erasures.Add(row);
        }
        return new NumberSnapshot(phoneNumberId, registry, erasures);
    }
}
