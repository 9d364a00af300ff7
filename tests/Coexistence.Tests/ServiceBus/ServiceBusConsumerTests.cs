using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Coexistence.Functions.ServiceBus;
using Coexistence.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.ServiceBus;

/// <summary>
/// Settlement of the Service Bus-triggered functions: real processing on Azurite, the broker's side
/// (received message, settlement actions, the sender of retry copies) from ServiceBusModelFactory and Moq: no broker runs here.
/// </summary>
public class ServiceBusConsumerTests
{
    /// <summary>The broker as the consumer sees it: a client whose senders record the retry copies scheduled, in one log with the settlements.</summary>
    private sealed class Broker
    {
        public Mock<ServiceBusClient> Client { get; } = new();
        public List<(string Queue, ServiceBusMessage Message, DateTimeOffset At)> Scheduled { get; } = [];
        public List<string> Steps { get; } = [];
        public Exception? ScheduleFailure { get; set; }

        public Broker()
        {
            Client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns<string>(queue =>
            {
                var sender = new Mock<ServiceBusSender>();
                sender.Setup(s => s.ScheduleMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
                    .Returns<ServiceBusMessage, DateTimeOffset, CancellationToken>((m, at, _) =>
                    {
                        if (ScheduleFailure is not null) return Task.FromException<long>(ScheduleFailure);
                        Scheduled.Add((queue, m, at));
                        Steps.Add("schedule");
                        return Task.FromResult(1000L + Scheduled.Count);
                    });
                return sender.Object;
            });
        }

        /// <summary>Settlement actions that record each settlement in <see cref="Steps"/>.</summary>
        public Mock<ServiceBusMessageActions> Actions()
        {
            var actions = new Mock<ServiceBusMessageActions>();
            actions.Setup(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()))
                .Callback(() => Steps.Add("complete")).Returns(Task.CompletedTask);
            actions.Setup(a => a.AbandonMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<IDictionary<string, object>?>(), It.IsAny<CancellationToken>()))
                .Callback(() => Steps.Add("abandon")).Returns(Task.CompletedTask);
            actions.Setup(a => a.DeadLetterMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<Dictionary<string, object>?>(), It.IsAny<string?>(),
                    It.IsAny<string?>(), It.IsAny<CancellationToken>()))
                .Callback(() => Steps.Add("dead-letter")).Returns(Task.CompletedTask);
            return actions;
        }
    }

    /// <summary>The queue message the door produces for a body, as the Service Bus trigger would receive it (body and the door's properties).</summary>
    private static async Task<ServiceBusReceivedMessage> ReceivedFromDoorAsync(PipelineHarness h, byte[] webhook, long sequenceNumber = 7)
    {
        byte[]? sent = null;
        ChangeMessage? sentMessage = null;
        var queue = new Mock<IChangeQueue>();
        queue.Setup(q => q.SendAsync(It.IsAny<ChangeMessage>(), It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()))
            .Callback<ChangeMessage, ReadOnlyMemory<byte>, CancellationToken>((m, b, _) => (sentMessage, sent) = (m, b.ToArray()))
            .Returns(Task.CompletedTask);
        var intake = new WebhookIntake(h.Registry, h.Archive, queue.Object, new IntakeOptions(), new FixedTime(), NullLogger<WebhookIntake>.Instance);
        Assert.Equal(IntakeOutcome.Accepted, (await intake.ReceiveAsync(webhook, default)).Outcome);
        var door = ServiceBusChangeQueue.CreateMessage(sentMessage!, sent);
        return ServiceBusModelFactory.ServiceBusReceivedMessage(body: door.Body, messageId: door.MessageId, contentType: door.ContentType,
            subject: door.Subject, properties: new Dictionary<string, object>(door.ApplicationProperties), sequenceNumber: sequenceNumber, deliveryCount: 1);
    }

    /// <summary>What the trigger would receive for a copy the consumer scheduled, once it is due.</summary>
    private static ServiceBusReceivedMessage Received(ServiceBusMessage copy, long sequenceNumber) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(body: copy.Body, messageId: copy.MessageId, contentType: copy.ContentType, subject: copy.Subject,
            properties: new Dictionary<string, object>(copy.ApplicationProperties), sequenceNumber: sequenceNumber, deliveryCount: 1);

    private static ServiceBusConsumer Consumer(PipelineHarness pipeline) => new(pipeline.Get<ServiceBusChangeConsumer>());

    /// <summary>Storage that refuses connections, without client retries so the test is quick: every processing attempt fails transiently.</summary>
    private static PipelineHarness StorageDown(Broker broker)
    {
        const string unreachable = "http://127.0.0.1:1/devstoreaccount1";
        const string accountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var storage = new StorageClients(
            new TableServiceClient(new Uri(unreachable), new TableSharedKeyCredential("devstoreaccount1", accountKey), new TableClientOptions { Retry = { MaxRetries = 0 } }),
            new BlobServiceClient(new Uri(unreachable), new Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", accountKey),
                new BlobClientOptions { Retry = { MaxRetries = 0 } }),
            new QueueServiceClient(new Uri(unreachable), new QueueClientOptions { Retry = { MaxRetries = 0 } }),
            StorageNames.Default);
        return PipelineHarness.On(storage, serviceBus: broker.Client.Object);
    }

    [Fact]
    public async Task A_processed_message_is_completed_and_its_rows_written()
    {
        var broker = new Broker();
        var h = await PipelineHarness.CreateAsync(serviceBus: broker.Client.Object);
        var message = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/1", "15551234567", 1_700_000_000, "via service bus")));
        var actions = new Mock<ServiceBusMessageActions>();

        await new ProcessMessageEchoes(Consumer(h)).Run(message, actions.Object, default);

        actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
        Assert.Empty(broker.Scheduled);
        Assert.Equal("via service bus", Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, "15551234567", default)).Text);
    }

    [Theory]
    [InlineData("{\"version\":3,\"kind\":\"history\"}", "unsupported version 3")]
    [InlineData("this is not json", "unreadable queue message: not JSON")]
    public async Task A_message_that_can_never_succeed_is_dead_lettered_at_once_with_a_reason(string body, string expectedDescription)
    {
        var h = await PipelineHarness.CreateAsync(serviceBus: new Broker().Client.Object);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: "m-1", deliveryCount: 1);
        var actions = new Mock<ServiceBusMessageActions>();

        await new ProcessHistory(Consumer(h)).Run(message, actions.Object, default);

        actions.Verify(a => a.DeadLetterMessageAsync(message, null, "Unprocessable",
            It.Is<string>(d => d.Contains(expectedDescription)), It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_message_whose_archive_blob_is_missing_is_dead_lettered()
    {
        var h = await PipelineHarness.CreateAsync(serviceBus: new Broker().Client.Object);
        var ranged = new ChangeMessage
        {
            Kind = WebhookKind.History,
            PhoneNumberId = PhoneNumberId,
            DisplayPhoneNumber = BusinessDigits,
            WebhookId = "cd",
            ChangeIndex = 0,
            ReceivedAt = FixedTime.Default,
            ArchiveBlob = $"{PhoneNumberId}/2026/11/25/cd.json",
            PayloadRange = new PayloadRange(100, 300_000),
        };
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromBytes(ChangeMessageFormat.Serialize(ranged)), messageId: ranged.ChangeId);
        var actions = new Mock<ServiceBusMessageActions>();

        await new ProcessHistory(Consumer(h)).Run(message, actions.Object, default);

        actions.Verify(a => a.DeadLetterMessageAsync(message, null, "Unprocessable",
            It.Is<string>(d => d == $"archive blob {PhoneNumberId}/2026/11/25/cd.json does not exist"), It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
    }

    /// <summary>Issue 18, finding 1: an abandoned message comes back at once, so the delay is a copy scheduled for later.</summary>
    [Fact]
    public async Task A_transient_failure_schedules_a_copy_30_seconds_later_and_completes_the_original_only_after_the_broker_took_it()
    {
        var broker = new Broker();
        var down = StorageDown(broker);
        var h = await PipelineHarness.CreateAsync();
        var message = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/2", "15551234567", 1_700_000_000, "later")), sequenceNumber: 42);
        var actions = broker.Actions();

        await new ProcessMessageEchoes(Consumer(down)).Run(message, actions.Object, default);

        Assert.Equal(["schedule", "complete"], broker.Steps);
        actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        var (queue, copy, at) = Assert.Single(broker.Scheduled);
        Assert.Equal(StorageNames.Default.EchoesQueue, queue);
        Assert.Equal(FixedTime.Default.AddSeconds(30), at);
        // Everything the consumer and the operator read, and what makes it a retry: the original's id and the attempts so far.
        Assert.Equal(message.Body.ToArray(), copy.Body.ToArray());
        Assert.Equal("application/json", copy.ContentType);
        Assert.Equal("smb_message_echoes", copy.Subject);
        foreach (var property in new[] { "version", "kind", "phoneNumberId", "receivedAt" })
            Assert.Equal(message.ApplicationProperties[property], copy.ApplicationProperties[property]);
        Assert.Equal(message.MessageId, copy.ApplicationProperties["retryOf"]);
        Assert.Equal(1, copy.ApplicationProperties["failedAttempts"]);
        // Its own id (duplicate detection would drop the original's), within Service Bus's 128 characters.
        Assert.NotEqual(message.MessageId, copy.MessageId);
        Assert.Equal($"{message.MessageId}|retry|42", copy.MessageId);
    }

    [Fact]
    public async Task Each_retry_waits_longer_the_id_does_not_grow_and_after_the_fifth_failed_attempt_the_message_is_dead_lettered()
    {
        var broker = new Broker();
        var down = StorageDown(broker);
        var h = await PipelineHarness.CreateAsync();
        var original = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/3", "15551234567", 1_700_000_000, "much later")), sequenceNumber: 100);
        var message = original;
        var expectedDelays = new[] { TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4) };

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await new ProcessMessageEchoes(Consumer(down)).Run(message, broker.Actions().Object, default);
            var (_, copy, at) = broker.Scheduled[^1];
            Assert.Equal(FixedTime.Default + expectedDelays[attempt - 1], at);
            Assert.Equal(attempt, copy.ApplicationProperties["failedAttempts"]);
            Assert.Equal(original.MessageId, copy.ApplicationProperties["retryOf"]);
            Assert.Equal($"{original.MessageId}|retry|{100 + attempt - 1}", copy.MessageId);
            message = Received(copy, sequenceNumber: 100 + attempt);
        }

        var last = broker.Actions();
        await new ProcessMessageEchoes(Consumer(down)).Run(message, last.Object, default);

        Assert.Equal(4, broker.Scheduled.Count);
        last.Verify(a => a.DeadLetterMessageAsync(message, null, "RetriesExhausted",
            It.Is<string>(d => d.StartsWith("5 attempts failed, the last with RequestFailedException", StringComparison.Ordinal)), It.IsAny<CancellationToken>()),
            Times.Once);
        last.Verify(a => a.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Deliveries_of_a_message_that_was_abandoned_count_as_failed_attempts()
    {
        var broker = new Broker();
        var down = StorageDown(broker);
        var h = await PipelineHarness.CreateAsync();
        var fromDoor = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/4", "15551234567", 1_700_000_000, "again")));
        // Its fifth delivery: four attempts failed before, each abandoned (no copy could be scheduled).
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: fromDoor.Body, messageId: fromDoor.MessageId, deliveryCount: 5);
        var actions = broker.Actions();

        await new ProcessMessageEchoes(Consumer(down)).Run(message, actions.Object, default);

        Assert.Equal(["dead-letter"], broker.Steps);
        actions.Verify(a => a.DeadLetterMessageAsync(message, null, "RetriesExhausted", It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task When_no_retry_copy_can_be_scheduled_the_message_is_abandoned_not_completed_and_the_failure_rethrown()
    {
        var broker = new Broker { ScheduleFailure = new ServiceBusException("namespace unreachable", ServiceBusFailureReason.ServiceCommunicationProblem) };
        var down = StorageDown(broker);
        var h = await PipelineHarness.CreateAsync();
        var message = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/5", "15551234567", 1_700_000_000, "later")));
        var actions = broker.Actions();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => new ProcessMessageEchoes(Consumer(down)).Run(message, actions.Object, default));

        Assert.IsAssignableFrom<Azure.RequestFailedException>(thrown); // the processing failure, not the scheduling one
        Assert.Equal(["abandon"], broker.Steps);
        actions.Verify(a => a.AbandonMessageAsync(message, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>
    /// Issue 18, finding 2: the host cancels the invocation while the settlement is in flight (the work is done); settling
    /// with the invocation's token would abort it and the message would be processed again.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_cancellation_after_the_work_is_done_does_not_abort_the_settlement(bool processable)
    {
        var h = await PipelineHarness.CreateAsync(serviceBus: new Broker().Client.Object);
        var message = processable
            ? await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/6", "15551234567", 1_700_000_000, "settle me")))
            : ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("not json"), messageId: "m-2", deliveryCount: 1);
        using var invocation = new CancellationTokenSource();
        var settled = 0;
        Task Settle(CancellationToken token)
        {
            invocation.Cancel(); // the host gives up now
            if (token.IsCancellationRequested) return Task.FromCanceled(token);
            settled++;
            return Task.CompletedTask;
        }
        var actions = new Mock<ServiceBusMessageActions>();
        actions.Setup(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()))
            .Returns<ServiceBusReceivedMessage, CancellationToken>((_, token) => Settle(token));
        actions.Setup(a => a.DeadLetterMessageAsync(message, null, It.IsAny<string?>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns<ServiceBusReceivedMessage, Dictionary<string, object>?, string?, string?, CancellationToken>((_, _, _, _, token) => Settle(token));

        await new ProcessMessageEchoes(Consumer(h)).Run(message, actions.Object, invocation.Token);

        Assert.Equal(1, settled);
    }

    /// <summary>Issue 18, finding 3: a table 400 (a bad key or property) is no reason to try again; it is set aside at once, with its reason.</summary>
    [Fact]
    public async Task A_write_storage_refuses_for_good_dead_letters_the_message_at_once_with_a_Quarantine_row()
    {
        var broker = new Broker();
        var policy = new FaultInjectionPolicy((m, _) => FaultInjectionPolicy.IsTableBatch(m) ? Fault.BadRequest : null);
        var h = PipelineHarness.On(await FaultInjectionPolicy.StorageAsync(policy), serviceBus: broker.Client.Object);
        policy.Enabled = false;
        var message = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/7", "15551234567", 1_700_000_000, "refused")));
        policy.Enabled = true;
        var actions = broker.Actions();

        await new ProcessMessageEchoes(Consumer(h)).Run(message, actions.Object, default);

        Assert.Equal(["dead-letter"], broker.Steps);
        const string reason = "storage refused a write: RequestFailedException status 400";
        actions.Verify(a => a.DeadLetterMessageAsync(message, null, "Unprocessable", reason, It.IsAny<CancellationToken>()), Times.Once);
        var row = Assert.Single(await EndToEnd.HistoryPipelineTests.QuarantineRowsAsync(h));
        Assert.Equal(PhoneNumberId, row.PartitionKey);
        Assert.Equal(reason, row.GetString("Reason"));
        Assert.True(policy.Injected > 0);
    }
}
