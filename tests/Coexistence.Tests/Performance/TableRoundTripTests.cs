using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Storage;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Performance;

/// <summary>
/// Guards the fan-out's mechanism, not its speed (docs/performance.md): a history chunk of n messages in
/// one partition costs ceil(2n/100) entity group transactions (a chat row and a wamid index row per
/// message, 100 operations per batch) plus a few requests per chat and per chunk, never a request per message.
/// </summary>
public partial class TableRoundTripTests
{
    /// <summary>Per chunk: the pending-facet lookup and the HistorySync chunk row.</summary>
    private const int PerChunk = 2;
    /// <summary>Per chat (of up to 1,000 messages): read the summary, count the chat's rows, write the summary.</summary>
    private const int PerChat = 3;

    /// <summary>Sees every request of the Table client (the only client it is the transport of).</summary>
    private sealed class Recorder
    {
        public ConcurrentQueue<(string Method, bool Batch, int Operations)> TableRequests { get; } = new();

        public Fault? Record(HttpMessage message, int _)
        {
            var batch = FaultInjectionPolicy.IsTableBatch(message);
            TableRequests.Enqueue((message.Request.Method.Method, batch, batch ? CountOperations(message) : 0));
            return null;
        }
    }

    [GeneratedRegex(@"^(PUT|MERGE|PATCH|POST|DELETE) \S+ HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex OperationLine();

    /// <summary>The operations inside an entity group transaction: one request line each in the multipart body.</summary>
    private static int CountOperations(HttpMessage message)
    {
        using var stream = new MemoryStream();
        message.Request.Content!.WriteTo(stream, CancellationToken.None);
        return OperationLine().Matches(Encoding.UTF8.GetString(stream.ToArray())).Count;
    }

    private static async Task<(Recorder Recorder, ProcessingResult Result)> ProcessChunkAsync(int chats, int messagesPerChat)
    {
        var recorder = new Recorder();
        var policy = new FaultInjectionPolicy(recorder.Record);
        var storage = new StorageClients(new TableServiceClient(Azurite.ConnectionString, new TableClientOptions { Transport = policy }),
            new BlobServiceClient(Azurite.ConnectionString), new QueueServiceClient(Azurite.ConnectionString, StorageClients.QueueOptions()),
            StorageNames.WithPrefix(Azurite.NewPrefix()));
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var pipeline = new Pipeline(storage, time: new FixedTime());
        var accepted = await pipeline.Intake.ReceiveAsync(LargeHistoryChunk(chats, messagesPerChat, textLength: 20), CancellationToken.None);
        Assert.Equal(IntakeOutcome.Accepted, accepted.Outcome);

        recorder.TableRequests.Clear();
        var result = Assert.Single(await pipeline.Drainer.DrainAsync(CancellationToken.None));
        Assert.Equal(ProcessingOutcome.Processed, result.Outcome);
        Assert.Equal(chats * messagesPerChat, result.Messages);
        return (recorder, result);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(49)]
    [InlineData(50)]
    [InlineData(51)]
    [InlineData(500)]
    public async Task A_chunk_of_n_messages_in_one_chat_costs_ceil_n_over_50_batches_plus_a_constant(int n)
    {
        var (recorder, result) = await ProcessChunkAsync(chats: 1, messagesPerChat: n);

        var batches = (n + 49) / 50;
        Assert.Equal(batches, result.TableBatches);
        Assert.Equal(batches, recorder.TableRequests.Count(r => r.Batch));
        Assert.Equal(batches + PerChunk + PerChat, recorder.TableRequests.Count);
    }

    [Theory]
    [InlineData(10, 30)]
    [InlineData(40, 5)]
    public async Task A_chunk_of_many_chats_adds_a_fixed_number_of_requests_per_chat_not_per_message(int chats, int messagesPerChat)
    {
        var (recorder, result) = await ProcessChunkAsync(chats, messagesPerChat);

        var n = chats * messagesPerChat;
        var batches = (n + 49) / 50;
        Assert.Equal(batches, result.TableBatches);
        Assert.Equal(batches + PerChunk + PerChat * chats, recorder.TableRequests.Count);
        // Fewer requests than messages: no request is made per message.
        Assert.True(recorder.TableRequests.Count(r => !r.Batch) < n, $"{recorder.TableRequests.Count(r => !r.Batch)} single requests for {n} messages");
    }

    [Fact]
    public async Task Batches_hold_at_most_100_operations_and_only_the_last_is_not_full()
    {
        var (recorder, _) = await ProcessChunkAsync(chats: 7, messagesPerChat: 33); // 231 messages, 462 rows

        var sizes = recorder.TableRequests.Where(r => r.Batch).Select(r => r.Operations).OrderDescending().ToList();
        Assert.Equal(462, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, 100));
        Assert.Equal([100, 100, 100, 100, 62], sizes);
    }
}
