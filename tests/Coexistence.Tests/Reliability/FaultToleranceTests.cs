using Azure.Core;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Reliability;

/// <summary>Storage faults injected through the Azure SDK pipeline: the tables still end right, nothing is lost.</summary>
public class FaultToleranceTests
{
    private const string Ada = "15551234567", Grace = "447700900123";

    private static List<byte[]> Story() =>
    [
        HistoryChunk(0, 1, 40, Thread(Ada, Text("wamid.f/1", Ada, 1_690_000_000, "one"), Placeholder("wamid.f/2=", Ada, 1_690_000_100)),
                                Thread(Grace, Text("wamid.f/3", BusinessDigits, 1_690_000_200, "three", to: Grace))),
        MediaFollowUp("wamid.f/2=", Ada, 1_690_000_999),
        HistoryChunk(1, 2, 100, Thread(Grace, Text("wamid.f/4", Grace, 1_680_000_000, "four"))),
        Contacts(ContactAdd(Ada, "Ada", "Ada", "1700000000"), ContactAdd(Grace, "Grace", "Grace", "1700000000")),
        Contacts(ContactRemove(Grace, "1700000100")),
        Echo(EchoText("wamid.f/5", Ada, 1_700_000_000, "five")),
        Echo(EchoEdit("wamid.f/6", Ada, 1_700_000_100, "wamid.f/5", "five, edited")),
        Echo(EchoRevoke("wamid.f/7", Grace, 1_700_000_200, "wamid.f/3")),
    ];

    private static async Task<IReadOnlyList<string>> CleanRunAsync()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(Story());
        return await TableDump.DumpAsync(h.Storage);
    }

    private static async Task<(IReadOnlyList<string> Dump, FaultInjectionPolicy Policy)> FaultyRunAsync(Func<HttpMessage, int, Fault?> decide)
    {
        var policy = new FaultInjectionPolicy(decide);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var pipeline = PipelineHarness.On(storage, time: new FixedTime());
        foreach (var body in Story())
        {
            var result = await pipeline.Intake.ReceiveAsync(body, default);
            Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        }
        var processed = await pipeline.Drainer.DrainAsync(default);
        Assert.All(processed, r => Assert.Equal(ProcessingOutcome.Processed, r.Outcome));
        // A send that was applied but answered with a dropped connection is sent again: duplicates are normal.
        Assert.True(processed.Count >= Story().Count, $"{processed.Count} messages processed");
        policy.Enabled = false;
        return (await TableDump.DumpAsync(storage), policy);
    }

    [Fact]
    public async Task Throttling_and_server_errors_on_every_few_requests_change_nothing_in_the_end()
    {
        var clean = await CleanRunAsync();
        var (faulty, policy) = await FaultyRunAsync((_, n) => n % 3 == 0 ? Fault.Throttle : n % 7 == 0 ? Fault.ServerError : null);
        Assert.True(policy.Injected > 20, $"only {policy.Injected} faults injected");
        Assert.Equal(clean, faulty);
    }

    [Fact]
    public async Task Writes_applied_but_answered_with_a_dropped_connection_are_retried_without_double_effects()
    {
        var clean = await CleanRunAsync();
        var (faulty, policy) = await FaultyRunAsync((m, n) => FaultInjectionPolicy.IsWrite(m) && n % 4 == 0 ? Fault.DropAfterApply : null);
        Assert.True(policy.Injected > 10, $"only {policy.Injected} faults injected");
        Assert.Equal(clean, faulty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public async Task A_consumer_dying_after_batch_k_of_a_chunk_is_finished_by_the_redelivery(int k)
    {
        // A 400-message chunk is 8 table batches of 50 messages (100 operations each).
        var chunk = LargeHistoryChunk(4, 100);
        var clean = await PipelineHarness.CreateAsync();
        await clean.DeliverAsync(chunk);
        var expected = await TableDump.DumpAsync(clean.Storage);

        var batches = 0;
        var policy = new FaultInjectionPolicy((m, _) => FaultInjectionPolicy.IsTableBatch(m) && Interlocked.Increment(ref batches) == k + 1 ? Fault.Crash : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var pipeline = PipelineHarness.On(storage, time: new FixedTime());
        await pipeline.Intake.ReceiveAsync(chunk, default);

        // The first attempt dies after k batches; the drainer's redelivery finishes the job.
        var result = Assert.Single(await pipeline.Drainer.DrainAsync(default));

        Assert.Equal(1, policy.Injected);
        Assert.Equal(ProcessingOutcome.Processed, result.Outcome);
        Assert.Equal(expected, await TableDump.DumpAsync(storage));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_not_lost_but_stays_in_its_queue()
    {
        var policy = new FaultInjectionPolicy((m, _) => FaultInjectionPolicy.IsTableBatch(m) ? Fault.Crash : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var pipeline = PipelineHarness.On(storage, time: new FixedTime());
        await pipeline.Intake.ReceiveAsync(Echo(EchoText("wamid.stuck/1", Ada, 1_700_000_000, "stuck")), default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.Drainer.DrainAsync(default));

        policy.Enabled = false;
        var properties = await storage.Queue(storage.Names.EchoesQueue).GetPropertiesAsync();
        Assert.Equal(1, properties.Value.ApproximateMessagesCount);
        Assert.Equal(StorageQueueDrainerAttempts, policy.Injected);
    }

    private const int StorageQueueDrainerAttempts = Coexistence.Queueing.StorageQueueDrainer.MaxAttempts;

    [Theory]
    [InlineData("-raw-webhooks")]
    [InlineData("-history")]
    public async Task When_the_archive_or_the_queue_is_down_the_door_answers_503_and_nothing_is_queued(string failingPath)
    {
        var policy = new FaultInjectionPolicy((m, _) => m.Request.Uri.Path.Contains(failingPath, StringComparison.Ordinal) ? Fault.ServerError : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var door = PipelineHarness.On(storage).Door;

        var response = await door.ReceiveAsync(_ => null, new MemoryStream(HistoryChunk(0, 1, 100, Thread(Ada, Text("wamid.down/1", Ada, 1, "x")))), default);

        Assert.Equal(503, response.Status);
        Assert.Equal(WebhookDoor.RetryAfterSeconds, response.RetryAfterSeconds);
        policy.Enabled = false;
        Assert.Equal(0, (await storage.Queue(storage.Names.HistoryQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
