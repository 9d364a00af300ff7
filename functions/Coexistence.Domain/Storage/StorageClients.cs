using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Coexistence.Storage;

/// <summary>
/// The three Azure Storage clients the pipeline uses, built once, plus the names of everything in them.
/// Queue messages are Base64-encoded, as the Functions queue trigger expects by default.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, StorageNames names)
    {
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
        Names = names;
    }

    public TableServiceClient Tables { get; }
    public BlobServiceClient Blobs { get; }
    public QueueServiceClient Queues { get; }
    public StorageNames Names { get; }

    public static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>From a connection string (Azurite: <c>UseDevelopmentStorage=true</c>).</summary>
    /// <param name="configure">Applied to each client's options (retries, transport) before the client is built.</param>
    public static StorageClients FromConnectionString(string connectionString, StorageNames? names = null, Action<ClientOptions>? configure = null)
    {
        var (table, blob, queue) = Options(configure);
        return new(new TableServiceClient(connectionString, table), new BlobServiceClient(connectionString, blob),
            new QueueServiceClient(connectionString, queue), names ?? StorageNames.Default);
    }

    /// <summary>Identity-based: service URIs and a token credential (managed identity in Azure), no keys.</summary>
    public static StorageClients FromServiceUris(Uri tableUri, Uri blobUri, Uri queueUri, TokenCredential credential, StorageNames? names = null,
        Action<ClientOptions>? configure = null)
    {
        var (table, blob, queue) = Options(configure);
        return new(new TableServiceClient(tableUri, credential, table), new BlobServiceClient(blobUri, credential, blob),
            new QueueServiceClient(queueUri, credential, queue), names ?? StorageNames.Default);
    }

    private static (TableClientOptions, BlobClientOptions, QueueClientOptions) Options(Action<ClientOptions>? configure)
    {
        var options = (Table: new TableClientOptions(), Blob: new BlobClientOptions(), Queue: QueueOptions());
        configure?.Invoke(options.Table);
        configure?.Invoke(options.Blob);
        configure?.Invoke(options.Queue);
        return options;
    }

    public TableClient Table(string name) => Tables.GetTableClient(name);
    public QueueClient Queue(string name) => Queues.GetQueueClient(name);
    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    /// <summary>Creates every table, queue and container if missing. Idempotent; in Azure the deployment has already done it.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        foreach (var t in Names.Tables) work.Add(Table(t).CreateIfNotExistsAsync(cancellationToken));
        foreach (var q in Names.Queues)
        {
            work.Add(Queue(q).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            work.Add(Queue(StorageNames.PoisonQueueOf(q)).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }
        foreach (var c in Names.Containers) work.Add(Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        // The media queue and container (docs/media.md), apart from the change queues and the archive.
        work.Add(Queue(Names.MediaQueue).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        work.Add(Container(Names.MediaContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(work);
    }
}
