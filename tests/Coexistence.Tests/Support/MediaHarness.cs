using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Coexistence.Media;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tests.Support;

/// <summary>
/// The media archive on isolated Azurite storage, downloading from a <see cref="MediaProviderStandIn"/> on loopback: the
/// pipeline stores the messages (webhooks through the door, as in production), the media queue carries the jobs the
/// change processor queues, and the test runs them through the real <see cref="MediaArchiver"/>. The clock is a
/// <see cref="ManualTime"/>, so throttling pauses and expiries are exact.
/// </summary>
internal sealed class MediaHarness : IAsyncDisposable
{
    public const string Customer = "447700900123";

    private MediaHarness(MediaProviderStandIn standIn, PipelineHarness pipeline, ManualTime time, RecordingMediaJobQueue queue) =>
        (StandIn, Pipeline, Time, Jobs) = (standIn, pipeline, time, queue);

    public MediaProviderStandIn StandIn { get; }
    public PipelineHarness Pipeline { get; }
    public ManualTime Time { get; }

    /// <summary>Every job sent to the media queue (new ones and retries' copies), with its delay.</summary>
    public RecordingMediaJobQueue Jobs { get; }

    public StorageClients Storage => Pipeline.Storage;
    public MediaArchiver Archiver => Pipeline.Get<MediaArchiver>();
    public MediaQueueDrainer MediaDrainer => Pipeline.Get<MediaQueueDrainer>();

    /// <param name="provider">The stand-in's kind, and <c>Media:Provider</c> unless <paramref name="options"/> changes it.</param>
    /// <param name="options">Settings on top of the stand-in's provider, base URL and credentials (timeout 30 s: a loaded machine is slow).</param>
    /// <param name="loggers">Where the pipeline's logs go (a capture, for the privacy tests).</param>
    public static async Task<MediaHarness> CreateAsync(string provider = MediaOptions.Meta, Action<MediaOptions>? options = null,
        ILoggerFactory? loggers = null)
    {
        var standIn = await MediaProviderStandIn.StartAsync(provider);
        var time = new ManualTime(FixedTime.Default);
        var pipeline = await PipelineHarness.CreateAsync(time, loggers: loggers, configure: s =>
        {
            s.Configure<MediaOptions>(o =>
            {
                o.Provider = provider;
                o.BaseUrl = standIn.BaseUrl;
                if (provider == MediaOptions.D360) o.ApiKey = "test-api-key";
                else o.AccessToken = "test-token";
                o.TimeoutSeconds = 30;
                options?.Invoke(o);
            });
            // The downloader as wired, but its connections go to loopback only: a url the downloader failed to move onto
            // the stand-in (360dialog's lookaside one) fails the test here instead of reaching the internet.
            s.AddSingleton(sp => new MediaDownloader(new HttpClient(new SocketsHttpHandler { ConnectCallback = LoopbackOnlyAsync })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            }, sp.GetRequiredService<MediaOptions>(), sp.GetRequiredService<TimeProvider>()));
            s.AddSingleton<IMediaJobQueue>(sp => new RecordingMediaJobQueue(new StorageQueueMediaJobQueue(sp.GetRequiredService<StorageClients>())));
        });
        return new MediaHarness(standIn, pipeline, time, (RecordingMediaJobQueue)pipeline.Get<IMediaJobQueue>());
    }

    private static async ValueTask<Stream> LoopbackOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        if (host is not ("127.0.0.1" or "localhost"))
            throw new HttpRequestException($"the media tests connect to loopback only, not to {host}");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The SHA-256 of the bytes as Meta sends it in a webhook: base64.</summary>
    public static string Base64Sha256(byte[] bytes) => Convert.ToBase64String(SHA256.HashData(bytes));

    public static byte[] Content(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>An echo of an image the business sent: the message's own media (columns <c>Media*</c>).</summary>
    public static byte[] ImageEcho(string messageId, string mediaId, string? sha256, string mime = "image/jpeg",
        string phoneNumberId = WebhookBuilder.PhoneNumberId) =>
        WebhookBuilder.Meta("smb_message_echoes", $$$"""
            "message_echoes":[{"from":"{{{WebhookBuilder.BusinessDigits}}}","to":"{{{Customer}}}","id":"{{{messageId}}}","timestamp":"1718003700",
              "type":"image","image":{"id":"{{{mediaId}}}","mime_type":"{{{mime}}}"{{{(sha256 is null ? "" : $",\"sha256\":\"{sha256}\"")}}},"caption":"c"}}]
            """, phoneNumberId);

    /// <summary>Delivers a body through the door and the change consumers (which queue its media jobs).</summary>
    public Task DeliverAsync(byte[] body) => Pipeline.DeliverAsync(body);

    /// <summary>Takes the one visible media job off the queue: its body, to run by hand (and again).</summary>
    public async Task<ReadOnlyMemory<byte>> TakeJobAsync()
    {
        var queue = Storage.Queue(Storage.Names.MediaQueue);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 32)).Value);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return message.Body.ToMemory();
    }

    /// <summary>Messages on the media queue, the invisible ones (retries, deferrals) included.</summary>
    public async Task<int> QueuedJobCountAsync() =>
        (await Storage.Queue(Storage.Names.MediaQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>The jobs visible on the media queue now, without taking them.</summary>
    public async Task<IReadOnlyList<MediaJob>> VisibleJobsAsync() =>
        [.. (await Storage.Queue(Storage.Names.MediaQueue).PeekMessagesAsync(maxMessages: 32)).Value
            .Select(m => MediaJobFormat.TryParse(m.Body.ToMemory(), out _)!)];

    public async Task<TableEntity> ChatRowAsync(string messageId, string phoneNumberId = WebhookBuilder.PhoneNumberId) =>
        await Pipeline.Messages.ReadChatRowAsync(phoneNumberId, messageId, default)
        ?? throw new InvalidOperationException($"{messageId} is not stored");

    public BlobClient Blob(string messageId, string mediaId, string phoneNumberId = WebhookBuilder.PhoneNumberId) =>
        Storage.Container(Storage.Names.MediaContainer).GetBlobClient(MessagesTable.MediaBlobName(phoneNumberId, messageId, mediaId));

    public async Task<IReadOnlyList<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in Storage.Container(Storage.Names.MediaContainer).GetBlobsAsync()) names.Add(blob.Name);
        return names;
    }

    /// <summary>The Quarantine table's rows (any partition): reason and the recorded change message.</summary>
    public async Task<IReadOnlyList<(string PartitionKey, string Reason, string Message)>> QuarantineAsync()
    {
        var rows = new List<(string, string, string)>();
        await foreach (var row in Storage.Table(Storage.Names.QuarantineTable).QueryAsync<TableEntity>())
            rows.Add((row.PartitionKey, row.GetString(QuarantineTable.Columns.Reason) ?? "", row.GetString(QuarantineTable.Columns.ChangeMessage) ?? ""));
        return rows;
    }

    /// <summary>The media throttle row of a key (<c>default</c> or a phone_number_id), or null.</summary>
    public async Task<TableEntity?> ThrottleRowAsync(string key)
    {
        var row = await Storage.Table(Storage.Names.NumbersTable).GetEntityIfExistsAsync<TableEntity>(key, NumbersTable.MediaThrottleRowKey);
        return row.HasValue ? row.Value : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.Services.DisposeAsync();
        await StandIn.DisposeAsync();
    }
}
