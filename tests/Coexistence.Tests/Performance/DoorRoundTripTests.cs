using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Performance;

/// <summary>
/// Guards the door's storage mechanism, not its speed (docs/performance.md, "Door latency"): a new webhook costs
/// one Webhooks registry write and one raw archive upload per number, sent together, then one queue message per
/// processable change; a history chunk above the claim-check threshold is queued as a byte range of its archive
/// blob, with no second upload. Expected figures are worked out by hand from those rules.
/// </summary>
public class DoorRoundTripTests
{
    private enum Service { Table, Blob, Queue }

    /// <summary>A transport that records every request the door's storage clients send, in order, with its service and size.</summary>
    private sealed class Recorder : HttpPipelineTransport
    {
        private readonly HttpPipelineTransport inner = HttpClientTransport.Shared;

        public ConcurrentQueue<(Service Service, string Method, long Bytes)> Requests { get; } = new();
        public StorageClients Storage { get; set; } = null!;
        public bool Enabled { get; set; }

        /// <summary>
        /// When set, a registry write waits (asynchronously) until the archive upload has started too, or 10 s have
        /// passed: it proves both are in flight together without measuring any time.
        /// </summary>
        public TaskCompletionSource? ArchiveStarted { get; set; }
        public bool RegistryWaitedForArchive { get; private set; }

        public override Request CreateRequest() => inner.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message)
        {
            if (Enabled)
            {
                var service = ServiceOf(message.Request.Uri.ToUri());
                var bytes = message.Request.Content is { } content && content.TryComputeLength(out var length) ? length : 0;
                Requests.Enqueue((service, message.Request.Method.Method, bytes));
                if (ArchiveStarted is { } started)
                {
                    if (service == Service.Blob && message.Request.Method == RequestMethod.Put) started.TrySetResult();
                    if (service == Service.Table && message.Request.Method != RequestMethod.Get)
                        RegistryWaitedForArchive = await Task.WhenAny(started.Task, Task.Delay(TimeSpan.FromSeconds(10))) == started.Task;
                }
            }
            await inner.ProcessAsync(message);
        }

        private Service ServiceOf(Uri uri) =>
            uri.Port == Storage.Tables.Uri.Port ? Service.Table
            : uri.Port == Storage.Blobs.Uri.Port ? Service.Blob
            : uri.Port == Storage.Queues.Uri.Port ? Service.Queue
            : throw new InvalidOperationException($"a request to an unknown endpoint: {uri.Authority}");

        public int Count(Service service) => Requests.Count(r => r.Service == service);
    }

    private static async Task<(Recorder Recorder, PipelineHarness PipelineHarness)> PipelineAsync()
    {
        var recorder = new Recorder();
        var storage = StorageClients.FromConnectionString(Azurite.ConnectionString, StorageNames.WithPrefix(Azurite.NewPrefix()),
            options => options.Transport = recorder);
        recorder.Storage = storage;
        await storage.EnsureCreatedAsync(CancellationToken.None);
        recorder.Enabled = true;
        return (recorder, PipelineHarness.On(storage, time: new FixedTime()));
    }

    [Fact]
    public async Task A_new_echo_costs_two_registry_writes_one_archive_upload_and_one_queue_message()
    {
        var (recorder, pipeline) = await PipelineAsync();

        var result = await pipeline.Intake.ReceiveAsync(Echo(EchoText("wamid.r/1", "15551234567", 1_700_000_000, "hello")), default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        Assert.Equal(4, recorder.Requests.Count);
        Assert.Equal((2, 1, 1), (recorder.Count(Service.Table), recorder.Count(Service.Blob), recorder.Count(Service.Queue)));
        // The queue message only once the body is archived and its first receipt is known; the registry's "all queued"
        // mark only after it (a redelivery is then answered without queueing again).
        Assert.Equal([Service.Queue, Service.Table], recorder.Requests.TakeLast(2).Select(r => r.Service));
    }

    [Fact]
    public async Task A_redelivered_echo_costs_a_registry_read_and_an_archive_check_and_queues_nothing()
    {
        var (recorder, pipeline) = await PipelineAsync();
        var body = Echo(EchoText("wamid.r/3", "15551234567", 1_700_000_000, "hello"));
        await pipeline.Intake.ReceiveAsync(body, default);
        recorder.Requests.Clear();

        var result = await pipeline.Intake.ReceiveAsync(body, default);

        Assert.True(result.Duplicate);
        // Registry insert (409) and read; the speculative upload (409) and the receipt check of the archive copy.
        Assert.Equal((2, 2, 0), (recorder.Count(Service.Table), recorder.Count(Service.Blob), recorder.Count(Service.Queue)));
    }

    [Fact]
    public async Task The_registry_write_and_the_archive_upload_are_in_flight_together()
    {
        var (recorder, pipeline) = await PipelineAsync();
        recorder.ArchiveStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var result = await pipeline.Intake.ReceiveAsync(Echo(EchoText("wamid.r/2", "15551234567", 1_700_000_000, "hello")), default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        // Had the door waited for the registry before uploading, the registry request would have waited in vain.
        Assert.True(recorder.RegistryWaitedForArchive, "the archive upload did not start while the registry write was in flight");
    }

    [Fact]
    public async Task A_history_chunk_above_the_claim_check_threshold_is_uploaded_once_and_queued_as_a_small_message()
    {
        var (recorder, pipeline) = await PipelineAsync();
        var body = LargeHistoryChunk(chats: 20, messagesPerChat: 50, textLength: 200);
        Assert.True(body.Length > new IntakeOptions().ClaimCheckThresholdBytes, $"the chunk ({body.Length} bytes) must be above the threshold");

        var result = await pipeline.Intake.ReceiveAsync(body, default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        Assert.Equal((2, 1, 1), (recorder.Count(Service.Table), recorder.Count(Service.Blob), recorder.Count(Service.Queue)));
        var upload = recorder.Requests.Single(r => r.Service == Service.Blob);
        Assert.Equal(body.Length, upload.Bytes);
        // The queue message names a range of the archive blob instead of carrying the value.
        var message = recorder.Requests.Single(r => r.Service == Service.Queue);
        Assert.InRange(message.Bytes, 1, 4096);
    }

    [Fact]
    public async Task A_webhook_of_two_numbers_costs_two_registry_writes_an_archive_copy_per_number_and_a_message_per_processable_change()
    {
        var (recorder, pipeline) = await PipelineAsync();

        var result = await pipeline.Intake.ReceiveAsync(Fixtures.Bytes("meta-batch-two-numbers.json"), default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        // Two numbers and an account_update without one: three copies (docs/http-api.md, "Raw archive").
        // Queued: both numbers' echoes and "messages" changes, the contact sync, the history change and the account_update (by its WABA).
        Assert.Equal((2, 3, 7), (recorder.Count(Service.Table), recorder.Count(Service.Blob), recorder.Count(Service.Queue)));
        Assert.Equal(7, result.Changes.Count(c => c.Queued));
    }
}
