namespace Coexistence.Tests.Support;

/// <summary>
/// The Azurite instance the test script provides: its own on free loopback ports, whose connection
/// string it passes in COEXISTENCE_TEST_STORAGE (without it: UseDevelopmentStorage=true, i.e.
/// 127.0.0.1:10000-10002). Each test gets its own prefix for every table, queue and container, so
/// tests never see each other's rows and can run in parallel against one emulator.
/// </summary>
internal static class Azurite
{
    private const string Variable = "COEXISTENCE_TEST_STORAGE";

    /// <summary>COEXISTENCE_TEST_STORAGE (set by scripts/test.sh), else the development storage.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } custom ? custom : "UseDevelopmentStorage=true";

    private static int counter;

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10] + Interlocked.Increment(ref counter).ToString("x");

    /// <summary>Fresh, created, isolated storage for one test.</summary>
    public static async Task<StorageClients> NewStorageAsync()
    {
        var storage = StorageClients.FromConnectionString(ConnectionString, StorageNames.WithPrefix(NewPrefix()));
        try
        {
            await storage.EnsureCreatedAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            var source = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } ? "from " + Variable : Variable + " is not set";
            throw new InvalidOperationException(
                $"The storage emulator is not reachable at {Describe(ConnectionString)} ({source}). Run the tests with " +
                $"`bash scripts/test.sh`: it starts its own Azurite on free loopback ports and passes its connection string in {Variable} " +
                "(AZURITE_REUSE=1 reuses the one on 127.0.0.1:10000-10002 instead).", e);
        }
        return storage;
    }

    /// <summary>A connection string for a message: its endpoints, never the key.</summary>
    private static string Describe(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2).ToList();
        if (parts.Any(kv => kv[0].Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase)))
            return "UseDevelopmentStorage=true (blob, queue, table on 127.0.0.1:10000, 10001, 10002)";
        var endpoints = parts.Where(kv => kv[0].EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase)).Select(kv => $"{kv[0]}={kv[1]}").ToList();
        return endpoints.Count > 0
            ? string.Join(", ", endpoints)
            : string.Join(";", parts.Where(kv => !Secret(kv[0])).Select(kv => $"{kv[0]}={kv[1]}"));

        static bool Secret(string key) =>
            key.Equals("AccountKey", StringComparison.OrdinalIgnoreCase) || key.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase);
    }
}
