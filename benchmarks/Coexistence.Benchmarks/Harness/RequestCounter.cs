using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Coexistence.Tests.Support;

namespace Coexistence.Benchmarks.Harness;

/// <summary>Counts the requests the SDK clients send (every retry is a request), by service, through a transport wrapper per client.</summary>
public sealed class RequestCounter
{
    private long tableRequests, tableBatches, blobRequests, queueRequests;

    public long TableRequests => Interlocked.Read(ref tableRequests);
    public long TableBatches => Interlocked.Read(ref tableBatches);
    public long BlobRequests => Interlocked.Read(ref blobRequests);
    public long QueueRequests => Interlocked.Read(ref queueRequests);

    public void Reset()
    {
        Interlocked.Exchange(ref tableRequests, 0);
        Interlocked.Exchange(ref tableBatches, 0);
        Interlocked.Exchange(ref blobRequests, 0);
        Interlocked.Exchange(ref queueRequests, 0);
    }

    /// <summary>A transport that counts every request of one service and injects nothing.</summary>
    private FaultInjectionPolicy CountingTransport(char service) => new((message, _) =>
    {
        Count(service, message);
        return null;
    });

    private void Count(char service, HttpMessage message)
    {
        switch (service)
        {
            case 't':
                Interlocked.Increment(ref tableRequests);
                if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)) Interlocked.Increment(ref tableBatches);
                break;
            case 'q': Interlocked.Increment(ref queueRequests); break;
            default: Interlocked.Increment(ref blobRequests); break;
        }
    }

    /// <summary>Azurite clients (connection string from COEXISTENCE_BENCH_STORAGE or the development account) isolated by a fresh prefix.</summary>
    public static async Task<StorageClients> StorageAsync(RequestCounter counter, CancellationToken cancellationToken)
    {
        var connection = Environment.GetEnvironmentVariable("COEXISTENCE_BENCH_STORAGE") is { Length: > 0 } custom ? custom : "UseDevelopmentStorage=true";
        var prefix = "b" + Guid.NewGuid().ToString("N")[..10];
        var storage = StorageClients.FromConnectionString(connection, StorageNames.WithPrefix(prefix), options =>
            options.Transport = counter.CountingTransport(options switch { TableClientOptions => 't', QueueClientOptions => 'q', _ => 'b' }));
        await storage.EnsureCreatedAsync(cancellationToken);
        counter.Reset();
        return storage;
    }

    /// <summary>Deletes what <see cref="StorageAsync"/> created (Azurite keeps everything in memory).</summary>
    public static async Task DeleteAsync(StorageClients storage)
    {
        var work = new List<Task>();
        foreach (var t in storage.Names.Tables) work.Add(storage.Table(t).DeleteAsync());
        foreach (var q in storage.Names.Queues)
        {
            work.Add(storage.Queue(q).DeleteIfExistsAsync());
            work.Add(storage.Queue(StorageNames.PoisonQueueOf(q)).DeleteIfExistsAsync());
        }
        foreach (var c in storage.Names.Containers) work.Add(storage.Container(c).DeleteIfExistsAsync());
        await Task.WhenAll(work);
    }
}
