namespace Coexistence.Storage;

/// <summary>OData filters of Table Storage queries: one partition, or a RowKey range of it.</summary>
internal static class TableFilters
{
    public static string Partition(string partitionKey) => $"PartitionKey eq {Quote(partitionKey)}";

    /// <summary>
    /// Rows of one partition whose RowKey is in [<paramref name="from"/>, <paramref name="to"/>) (or [from, to] with
    /// <paramref name="toInclusive"/>).
    /// </summary>
    public static string Range(string partitionKey, string from, string to, bool toInclusive = false) =>
        $"{Partition(partitionKey)} and RowKey ge {Quote(from)} and RowKey {(toInclusive ? "le" : "lt")} {Quote(to)}";

    /// <summary>An OData string literal.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
}
