using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Performance;

/// <summary>
/// Guards the fan-out's mechanism, not its speed (docs/performance.md). A history chunk of n messages in one
/// partition is written in entity group transactions of up to 100 operations: two per message (chat row and wamid
/// index row) and one per chat in the batch (its summary, counted in the same transaction). Around them only a
/// constant: the number's snapshot (Numbers table), the chats' summaries read first (one point read per chat up to 8 chats, else one range query), the
/// pending-facet lookup and the HistorySync chunk row. Never a request per message or per chat beyond 8.
/// Expected figures are worked out by hand from those rules.
/// </summary>
public partial class TableRoundTripTests
{
    /// <summary>Per chunk: the pending-facet lookup and the HistorySync chunk row.</summary>
    private const int PerChunk = 2;

    /// <summary>Per change: the number's registry row and erasures, one range query of the Numbers table.</summary>
    private const int PerChange = 1;

    /// <summary>
    /// The first change of a number also registers it: the WABA's index row, the WABA's earlier account events looked up,
    /// the registry row. Later changes write nothing to the registry unless a minute has passed.
    /// </summary>
    private const int FirstChangeOfNumber = 3;

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

    /// <summary>A pipeline on fresh storage whose Table client reports every request to the recorder.</summary>
    private static async Task<PipelineHarness> PipelineWithRecorderAsync(Recorder recorder)
    {
        var policy = new FaultInjectionPolicy(recorder.Record);
        var storage = new StorageClients(new TableServiceClient(Azurite.ConnectionString, new TableClientOptions { Transport = policy }),
            new BlobServiceClient(Azurite.ConnectionString), new QueueServiceClient(Azurite.ConnectionString, StorageClients.QueueOptions()),
            StorageNames.WithPrefix(Azurite.NewPrefix()));
        await storage.EnsureCreatedAsync(CancellationToken.None);
        return PipelineHarness.On(storage, time: new FixedTime());
    }

    private static async Task<(Recorder Recorder, ProcessingResult Result)> ProcessChunkAsync(int chats, int messagesPerChat)
    {
        var recorder = new Recorder();
        var pipeline = await PipelineWithRecorderAsync(recorder);
        var accepted = await pipeline.Intake.ReceiveAsync(LargeHistoryChunk(chats, messagesPerChat, textLength: 20), CancellationToken.None);
        Assert.Equal(IntakeOutcome.Accepted, accepted.Outcome);

        recorder.TableRequests.Clear();
        var result = Assert.Single(await pipeline.Drainer.DrainAsync(CancellationToken.None));
        Assert.Equal(ProcessingOutcome.Processed, result.Outcome);
        Assert.Equal(chats * messagesPerChat, result.Messages);
        return (recorder, result);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(49, 1)]
    [InlineData(50, 2)]
    [InlineData(98, 2)]
    [InlineData(99, 3)]
    [InlineData(500, 11)]
    public async Task A_chunk_of_n_messages_in_one_chat_costs_ceil_n_over_49_batches_plus_seven_requests(int n, int batches)
    {
        // 49 messages (98 operations) and the chat's summary fill a batch: ceil(n / 49) batches.
        var (recorder, result) = await ProcessChunkAsync(chats: 1, messagesPerChat: n);

        Assert.Equal(batches, result.TableBatches);
        var sizes = recorder.TableRequests.Where(r => r.Batch).Select(r => r.Operations).ToList();
        Assert.Equal(batches, sizes.Count);
        var last = n - 49 * (batches - 1);
        Assert.Equal(Enumerable.Repeat(99, batches - 1).Append(2 * last + 1).Order(), sizes.Order());
        // Plus the summary's point read, the two per chunk and the registry's (the chunk is the number's first change).
        Assert.Equal(batches + 1 + PerChunk + PerChange + FirstChangeOfNumber, recorder.TableRequests.Count);
    }

    [Theory]
    // 10 chats of 30 in 4 lanes: two lanes of 3 chats (ops 100 + 84), two of 2 (100 + 23); 600 row operations + 14 summaries.
    [InlineData(10, 30, 8, 614)]
    // 40 chats of 5 (11 operations each), 10 per lane: 9 chats (99 operations), then 1 (11).
    [InlineData(40, 5, 8, 440)]
    // 8 chats of 10, 2 per lane: one batch of 42 operations per lane; the 8 summaries are read one by one.
    [InlineData(8, 10, 4, 168)]
    public async Task A_chunk_of_many_chats_costs_its_batches_plus_a_constant(int chats, int messagesPerChat, int batches, int operations)
    {
        var (recorder, result) = await ProcessChunkAsync(chats, messagesPerChat);

        Assert.Equal(batches, result.TableBatches);
        Assert.Equal(batches, recorder.TableRequests.Count(r => r.Batch));
        Assert.Equal(operations, recorder.TableRequests.Where(r => r.Batch).Sum(r => r.Operations));
        var summaryReads = chats <= MessageStore.SummaryPointReads ? chats : 1;
        Assert.Equal(summaryReads + PerChunk + PerChange + FirstChangeOfNumber, recorder.TableRequests.Count(r => !r.Batch));
    }

    [Fact]
    public async Task Batches_hold_at_most_100_operations_and_only_each_lanes_last_is_not_full()
    {
        // 7 chats of 33 (67 operations each): three lanes of 2 chats (100 + 35), one of 1 chat (67).
        var (recorder, _) = await ProcessChunkAsync(chats: 7, messagesPerChat: 33);

        var sizes = recorder.TableRequests.Where(r => r.Batch).Select(r => r.Operations).OrderDescending().ToList();
        Assert.Equal([100, 100, 100, 67, 35, 35, 35], sizes);
    }

    [Fact]
    public async Task A_duplicate_chunk_costs_four_requests_per_batch_and_changes_no_count()
    {
        var recorder = new Recorder();
        var pipeline = await PipelineWithRecorderAsync(recorder);
        var chunk = LargeHistoryChunk(chats: 1, messagesPerChat: 200, textLength: 20);
        await pipeline.Intake.ReceiveAsync(chunk, CancellationToken.None);
        await pipeline.Drainer.DrainAsync(CancellationToken.None);

        // Queued again, as a re-ingest does (or a redelivery whose first delivery died before the registry's mark).
        await pipeline.Intake.ReceiveAsync(chunk, receivedAt: null, CancellationToken.None, requeueKnownBodies: true);
        recorder.TableRequests.Clear();
        Assert.Single(await pipeline.Drainer.DrainAsync(CancellationToken.None));

        // 5 batches (49 x 4 + 4), each: refused (its rows exist), summary and rows read again, sent again as merges.
        // Plus the first summary read, the two per chunk and the registry's read (the number is known: nothing written).
        Assert.Equal(1 + 5 * 4 + PerChunk + PerChange, recorder.TableRequests.Count);
        var chat = Assert.Single(await pipeline.Queries.GetChatsAsync(PhoneNumberId, CancellationToken.None));
        Assert.Equal(200, chat.MessageCount);
    }

    [Fact]
    public async Task An_echo_of_a_known_number_costs_four_table_requests()
    {
        var recorder = new Recorder();
        var pipeline = await PipelineWithRecorderAsync(recorder);
        await pipeline.DeliverAsync(Echo(EchoText("wamid.E0", "4915100000001", 1_700_000_000, "first")));
        await pipeline.Intake.ReceiveAsync(Echo(EchoText("wamid.E1", "4915100000001", 1_700_000_010, "hi")), CancellationToken.None);
        recorder.TableRequests.Clear();

        Assert.Single(await pipeline.Drainer.DrainAsync(CancellationToken.None));

        // The number's registry and erasures, the chat's summary read, one batch (chat row, index row, summary), the
        // pending-facet lookup; the registry learns nothing new within the minute (FixedTime), so it writes nothing.
        Assert.Equal([("GET", false, 0), ("GET", false, 0), ("POST", true, 3), ("GET", false, 0)], recorder.TableRequests.ToList());
    }

    [Fact]
    public async Task The_first_change_of_a_number_registers_it_in_three_more_requests_and_a_later_minute_in_one()
    {
        var recorder = new Recorder();
        var time = new ManualTime(FixedTime.Default);
        var policy = new FaultInjectionPolicy(recorder.Record);
        var storage = new StorageClients(new TableServiceClient(Azurite.ConnectionString, new TableClientOptions { Transport = policy }),
            new BlobServiceClient(Azurite.ConnectionString), new QueueServiceClient(Azurite.ConnectionString, StorageClients.QueueOptions()),
            StorageNames.WithPrefix(Azurite.NewPrefix()));
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var pipeline = PipelineHarness.On(storage, time: time);

        async Task<int> RegistryRequestsAsync(string wamid)
        {
            await pipeline.Intake.ReceiveAsync(Echo(EchoText(wamid, "4915100000001", 1_700_000_000, "hi")), CancellationToken.None);
            recorder.TableRequests.Clear();
            await pipeline.Drainer.DrainAsync(CancellationToken.None);
            return recorder.TableRequests.Count - 4; // an echo's own (see above)
        }

        Assert.Equal(FirstChangeOfNumber, await RegistryRequestsAsync("wamid.R1"));
        Assert.Equal(0, await RegistryRequestsAsync("wamid.R2"));
        time.Now = time.Now.AddMinutes(2);
        Assert.Equal(1, await RegistryRequestsAsync("wamid.R3")); // the last-seen minute, merged on the row's ETag
    }
}
