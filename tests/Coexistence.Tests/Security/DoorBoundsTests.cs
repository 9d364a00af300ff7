using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Security;

/// <summary>
/// Issue 17, findings 2, 7 and 8, against Azurite: what one request may make the door write (changes and numbers per
/// body, writes in flight), one log line per request, a redelivered body not queued again, and an answer in time when
/// storage is stuck.
/// </summary>
public class DoorBoundsTests
{
    /// <summary>A Meta body of <paramref name="changes"/> entries of one change each; change i for number <paramref name="numberOf"/>(i).</summary>
    internal static byte[] ManyChanges(int changes, Func<int, string> numberOf, bool processed = false)
    {
        var entries = Enumerable.Range(0, changes).Select(i =>
        {
            var metadata = $$"""{"display_phone_number":"15550001111","phone_number_id":"{{numberOf(i)}}"}""";
            var value = processed
                ? $$$"""{"messaging_product":"whatsapp","metadata":{{{metadata}}},"message_echoes":[{"from":"15550001111","to":"4915100000{{{i % 100:D3}}}","id":"wamid.bound/{{{i}}}","timestamp":"1700000000","type":"text","text":{"body":"hi"}}]}"""
                : $$"""{"metadata":{{metadata}},"event":"PARTNER_ADDED"}""";
            var field = processed ? "smb_message_echoes" : "account_update";
            return $$"""{"id":"waba-1","changes":[{"field":"{{field}}","value":{{value}}}]}""";
        });
        return Encoding.UTF8.GetBytes($$"""{"object":"whatsapp_business_account","entry":[{{string.Join(",", entries)}}]}""");
    }

    [Fact]
    public async Task A_body_with_more_changes_than_the_limit_is_refused_before_anything_is_stored()
    {
        var door = await DoorHarness.CreateAsync();
        var defaults = new IntakeOptions();

        var refused = await door.PostAsync(ManyChanges(defaults.MaxChangesPerBody + 1, _ => "106540352242922"));

        Assert.Equal(413, refused.Status);
        Assert.Equal(WebhookProblems.TooManyChanges, DoorHarness.Code(refused));
        Assert.Contains($"{defaults.MaxChangesPerBody + 1} changes", DoorHarness.Text(refused));
        Assert.Equal((0, 0, 0), await door.StoredAsync());

        // At the limit, the body is fine.
        Assert.Equal(202, (await door.PostAsync(ManyChanges(defaults.MaxChangesPerBody, _ => "106540352242922"))).Status);
    }

    [Fact]
    public async Task A_body_naming_more_numbers_than_the_limit_is_refused_before_anything_is_stored()
    {
        // Finding 2: an archive-only change per distinct number wrote one full copy of the body per number.
        var door = await DoorHarness.CreateAsync(options: new IntakeOptions { MaxNumbersPerBody = 20 });

        var refused = await door.PostAsync(ManyChanges(21, i => $"1065403522{i:D5}"));

        Assert.Equal(413, refused.Status);
        Assert.Equal(WebhookProblems.TooManyNumbers, DoorHarness.Code(refused));
        Assert.Equal((0, 0, 0), await door.StoredAsync());

        // Many changes for few numbers are fine: the limit is on distinct numbers.
        var accepted = await door.PostAsync(ManyChanges(60, i => $"1065403522{i % 20:D5}"));
        Assert.Equal(202, accepted.Status);
        Assert.Equal(20, (await door.StoredAsync()).Blobs);
    }

    [Fact]
    public void The_fan_out_limits_are_checked_at_start_up()
    {
        Assert.Contains("Intake:MaxChangesPerBody must be at least 1.", TestServices.SettingsError(("Intake:MaxChangesPerBody", "0")));
        Assert.Contains("Intake:MaxNumbersPerBody must be between 1 and Intake:MaxChangesPerBody.",
            TestServices.SettingsError(("Intake:MaxChangesPerBody", "10"), ("Intake:MaxNumbersPerBody", "11")));
        Assert.Contains("Intake:MaxConcurrentWrites must be between 1 and 256.", TestServices.SettingsError(("Intake:MaxConcurrentWrites", "0")));
        Assert.Contains("Intake:AnswerWithinMilliseconds must be between 100 and 30000.",
            TestServices.SettingsError(("Intake:AnswerWithinMilliseconds", "60000")));
    }

    [Fact]
    public async Task Archive_uploads_and_queue_sends_of_one_request_run_at_most_the_configured_number_at_a_time()
    {
        var probe = new ConcurrencyProbe();
        var storage = StorageClients.FromConnectionString(Azurite.ConnectionString, StorageNames.WithPrefix(Azurite.NewPrefix()),
            options => options.Transport = probe);
        await storage.EnsureCreatedAsync(CancellationToken.None);
        probe.Reset(); // creating the tables, queues and containers ran in parallel; only the request counts
        var h = PipelineHarness.On(storage, options: new IntakeOptions { MaxConcurrentWrites = 3 });

        // 30 processed changes for 30 numbers: 30 archive copies and 30 queue messages.
        var result = await h.Intake.ReceiveAsync(ManyChanges(30, i => $"1065403522{i:D5}", processed: true), CancellationToken.None);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        Assert.Equal(30, await EndToEnd.DoorTests.CountQueueMessagesAsync(storage));
        Assert.Equal(30, await EndToEnd.DoorTests.CountBlobsAsync(storage));
        // Each phase (archive, queue) keeps at most 3 of its writes in flight; the registry call runs beside the uploads.
        Assert.InRange(probe.MostInFlight, 2, 3 + 1);
    }

    [Fact]
    public async Task A_request_writes_one_log_line_with_counts_however_many_changes_it_has()
    {
        var logs = new CapturedLogs();
        var door = await DoorHarness.CreateAsync(loggers: logs);

        Assert.Equal(202, (await door.PostAsync(ManyChanges(40, i => $"1065403522{i % 4:D5}", processed: true))).Status);

        var accepted = logs.Lines.Where(l => l.Contains("accepted:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(accepted);
        Assert.Contains("40 change(s) (smb_message_echoes) for 4 number(s), 40 queued", line);
    }

    [Fact]
    public async Task A_redelivered_body_whose_changes_were_all_queued_is_answered_without_queueing_again()
    {
        // Finding 7: every delivery of the same body was queued and processed again.
        var door = await DoorHarness.CreateAsync();
        var body = ManyChanges(3, _ => "106540352242922", processed: true);

        var first = await door.PostAsync(body);
        var second = await door.PostAsync(body);

        Assert.Equal(202, first.Status);
        Assert.Equal(202, second.Status);
        Assert.False(Receipt(first).GetProperty("duplicate").GetBoolean());
        Assert.True(Receipt(second).GetProperty("duplicate").GetBoolean());
        Assert.Equal(Receipt(first).GetProperty("webhookId").GetString(), Receipt(second).GetProperty("webhookId").GetString());
        Assert.Equal(3, await EndToEnd.DoorTests.CountQueueMessagesAsync(door.Pipeline.Storage));

        // The receipt still says which changes are (already) on their queue.
        Assert.All(Receipt(second).GetProperty("changes").EnumerateArray(), c => Assert.True(c.GetProperty("queued").GetBoolean()));
    }

    [Fact]
    public async Task A_body_whose_first_delivery_failed_half_way_is_queued_in_full_by_the_retry()
    {
        // The mark is written only after the last send: a delivery that died before it does not make the retry a duplicate.
        var policy = new FaultInjectionPolicy((message, _) =>
            message.Request.Uri.Host == "127.0.0.1" && message.Request.Uri.Path.Contains("/messages", StringComparison.Ordinal)
            && message.Request.Method == RequestMethod.Post ? Fault.ServerError : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var h = PipelineHarness.On(storage);
        var body = ManyChanges(2, _ => "106540352242922", processed: true);

        var failed = await h.Intake.ReceiveAsync(body, CancellationToken.None);
        policy.Enabled = false;
        var retried = await h.Intake.ReceiveAsync(body, CancellationToken.None);

        Assert.Equal(IntakeOutcome.Unavailable, failed.Outcome);
        Assert.True(policy.Injected > 0);
        Assert.Equal(IntakeOutcome.Accepted, retried.Outcome);
        Assert.False(retried.Duplicate);
        Assert.Equal(2, await EndToEnd.DoorTests.CountQueueMessagesAsync(storage));
    }

    [Fact]
    public async Task A_stuck_dependency_is_answered_503_with_Retry_After_at_the_deadline_not_after_the_SDK_gives_up()
    {
        // Finding 8: with the SDK's default retries (60 s per try), a stuck storage held the request far past the senders' 5 s.
        var policy = new FaultInjectionPolicy((message, _) => message.Request.Uri.Host == "127.0.0.1" ? Fault.Hang : null);
        var storage = StorageClients.FromConnectionString(Azurite.ConnectionString, StorageNames.WithPrefix(Azurite.NewPrefix()),
            options => options.Transport = policy); // the SDK's default retry timings
        policy.Enabled = false;
        await storage.EnsureCreatedAsync(CancellationToken.None);
        policy.Enabled = true;
        var h = PipelineHarness.On(storage, options: new IntakeOptions { AnswerWithinMilliseconds = 500 });

        // The test's own bound (a liveness check, far above the deadline): without the deadline this never answers in time.
        var answer = await h.Door.ReceiveAsync(_ => null, new MemoryStream(WebhookBuilder.Echo(WebhookBuilder.EchoText("wamid.stuck", "4915100000001",
            1_700_000_000, "hi"))), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(503, answer.Status);
        Assert.Equal(WebhookDoor.RetryAfterSeconds, answer.RetryAfterSeconds);
        Assert.Equal("storage-unavailable", DoorHarness.Code(answer));
        Assert.Contains("did not answer in time", DoorHarness.Text(answer));
        Assert.True(policy.Injected > 0);
    }

    [Fact]
    public void The_door_s_Service_Bus_retries_fit_inside_its_deadline()
    {
        var options = new Azure.Messaging.ServiceBus.ServiceBusClientOptions();
        ServiceBusDoorRetries.Apply(options);
        var worstCase = options.RetryOptions.TryTimeout * (options.RetryOptions.MaxRetries + 1) + options.RetryOptions.MaxDelay * options.RetryOptions.MaxRetries;

        Assert.True(worstCase <= TimeSpan.FromMilliseconds(new IntakeOptions().AnswerWithinMilliseconds),
            $"tries and delays take up to {worstCase}, past the door's deadline");
        // The SDK's own defaults would not have (60 s per try, 3 retries).
        var defaults = new Azure.Messaging.ServiceBus.ServiceBusClientOptions().RetryOptions;
        Assert.True(defaults.TryTimeout > TimeSpan.FromMilliseconds(new IntakeOptions().AnswerWithinMilliseconds));
    }

    private static System.Text.Json.JsonElement Receipt(HttpAnswer answer) => System.Text.Json.JsonDocument.Parse(answer.Body).RootElement;

    /// <summary>Counts the writes (not reads) to the pipeline's blobs and queues in flight at once.</summary>
    private sealed class ConcurrencyProbe : HttpPipelineTransport
    {
        private readonly HttpPipelineTransport inner = HttpClientTransport.Shared;
        private int inFlight;
        private int most;

        public int MostInFlight => most;

        public void Reset() => most = 0;

        public override Request CreateRequest() => inner.CreateRequest();
        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message)
        {
            var counted = FaultInjectionPolicy.IsWrite(message) && !message.Request.Uri.Path.Contains("Tables", StringComparison.Ordinal)
                && !message.Request.Uri.Path.Contains("webhooks", StringComparison.OrdinalIgnoreCase);
            if (!counted)
            {
                await inner.ProcessAsync(message);
                return;
            }
            var now = Interlocked.Increment(ref inFlight);
            int seen;
            while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
            try
            {
                await Task.Delay(20, message.CancellationToken); // hold the request long enough for others to overlap
                await inner.ProcessAsync(message);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}
