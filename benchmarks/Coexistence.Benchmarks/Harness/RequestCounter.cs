using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Coexistence.Storage;

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

    private sealed class CountingTransport(RequestCounter counter, char service) : HttpPipelineTransport
    {
        private readonly HttpPipelineTransport inner = HttpClientTransport.Shared;

        public override Request CreateRequest() => inner.CreateRequest();

        public override void Process(HttpMessage message)
        {
            counter.Count(service, message);
            inner.Process(message);
        }

        public override ValueTask ProcessAsync(HttpMessage message)
        {
            counter.Count(service, message);
            return inner.ProcessAsync(message);
        }
    }

    /// <summary>Azurite clients (connection string from COEXISTENCE_BENCH_STORAGE or the development account) isolated by a fresh prefix.</summary>
    public static async Task<StorageClients> StorageAsync(RequestCounter counter, CancellationToken cancellationToken)
    {
        var connection = Environment.GetEnvironmentVariable("COEXISTENCE_BENCH_STORAGE") is { Length: > 0 } custom ? custom : "UseDevelopmentStorage=true";
        var prefix = "b" + Guid.NewGuid().ToString("N")[..10];
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        var queueOptions = StorageClients.QueueOptions();
        tableOptions.Transport = new CountingTransport(counter, 't');
        blobOptions.Transport = new CountingTransport(counter, 'b');
        queueOptions.Transport = new CountingTransport(counter, 'q');
        var storage = new StorageClients(new TableServiceClient(connection, tableOptions), new BlobServiceClient(connection, blobOptions),
            new QueueServiceClient(connection, queueOptions), StorageNames.WithPrefix(prefix));
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
