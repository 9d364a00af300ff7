using Coexistence.Storage;

namespace Coexistence.Tests.Support;

/// <summary>
/// The Azurite instance the test script starts (blob 10000, queue 10001, table 10002 on loopback).
/// Each test gets its own prefix for every table, queue and container, so tests never see each
/// other's rows and can run in parallel against one emulator.
/// </summary>
internal static class Azurite
{
    /// <summary>Overridable for a different emulator address: COEXISTENCE_TEST_STORAGE.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("COEXISTENCE_TEST_STORAGE") is { Length: > 0 } custom ? custom : "UseDevelopmentStorage=true";

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
            throw new InvalidOperationException(
                "Azurite is not reachable on 127.0.0.1:10000-10002. Run the tests with `bash scripts/test.sh`, which starts it.", e);
        }
        return storage;
    }
}
