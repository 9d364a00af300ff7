using System.Net;
using Azure.Messaging.ServiceBus;
using Coexistence.Functions;
using Coexistence.Tests.Functions;
using Coexistence.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.ServiceBus;

/// <summary>The sending side of the Service Bus transport, with the client mocked (no broker runs here).</summary>
public class ServiceBusChangeQueueTests
{
    private sealed record Sent(string Queue, ServiceBusMessage Message);

    private static (Mock<ServiceBusClient> Client, List<Sent> Sent) MockClient(Exception? failWith = null)
    {
        var sent = new List<Sent>();
        var client = new Mock<ServiceBusClient>();
        client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns<string>(queue =>
        {
            var sender = new Mock<ServiceBusSender>();
            var setup = sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()));
            if (failWith is not null) setup.ThrowsAsync(failWith);
            else setup.Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(new Sent(queue, m))).Returns(Task.CompletedTask);
            return sender.Object;
        });
        return (client, sent);
    }

    /// <summary>The pipeline with the Service Bus transport on the mocked client (production queue names) and its threshold.</summary>
    private static Task<PipelineHarness> HarnessAsync(Mock<ServiceBusClient> client, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null) =>
        PipelineHarness.CreateAsync(serviceBus: client.Object, loggers: loggers,
            configure: services => services.AddSingleton<IChangeQueue>(new ServiceBusChangeQueue(new ServiceBusSenders(client.Object, StorageNames.Default))));

    [Theory]
    [InlineData(null, ServiceBusChangeQueue.DefaultClaimCheckThresholdBytes)]
    [InlineData("60000", 60_000)]
    public async Task The_transport_sends_through_Service_Bus_and_claim_checks_at_its_own_threshold_unless_one_is_configured(string? configured, int expected)
    {
        var settings = new Dictionary<string, string?>();
        if (configured is not null) settings["Intake:ClaimCheckThresholdBytes"] = configured;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection()
            .AddCoexistence(configuration, _ => StorageClients.FromConnectionString(Azurite.ConnectionString))
            .AddSingleton(MockClient().Client.Object)
            .AddServiceBusTransport(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.IsType<ServiceBusChangeQueue>(services.GetRequiredService<IChangeQueue>());
        Assert.Equal(expected, services.GetRequiredService<IntakeOptions>().ClaimCheckThresholdBytes);
    }

    [Fact]
    public async Task Each_change_is_sent_to_its_kinds_queue_with_a_payload_derived_id_and_routing_properties()
    {
        var (client, sent) = MockClient();
        var h = await HarnessAsync(client);
        var body = Contacts(ContactAdd("15551234567", "Ada", "Ada", "1700000000"));

        var result = await h.Intake.ReceiveAsync(body, default);

        var one = Assert.Single(sent);
        Assert.Equal("coexistence-contacts", one.Queue);
        Assert.Equal($"{result.WebhookId}-0", one.Message.MessageId);
        Assert.True(one.Message.MessageId.Length <= 128);
        Assert.Equal("smb_app_state_sync", one.Message.Subject);
        Assert.Equal("application/json", one.Message.ContentType);
        Assert.Equal("smb_app_state_sync", one.Message.ApplicationProperties["kind"]);
        Assert.Equal(PhoneNumberId, one.Message.ApplicationProperties["phoneNumberId"]);
        Assert.Equal(FixedTime.Default.UtcDateTime, one.Message.ApplicationProperties["receivedAt"]);
        Assert.Equal(2, one.Message.ApplicationProperties["version"]);
        Assert.False(one.Message.ApplicationProperties.ContainsKey("archiveBlob"));
        Assert.False(one.Message.ApplicationProperties.ContainsKey("payloadOffset"));
        Assert.True(ChangeMessageFormat.TryParse(one.Message.Body.ToMemory(), out var parsed, out _));
        Assert.Equal(Coexistence.Webhooks.WebhookKind.ContactSync, parsed!.Kind);
    }

    [Fact]
    public async Task The_same_body_twice_gets_the_same_message_id_so_duplicate_detection_drops_the_retry()
    {
        var (client, sent) = MockClient();
        var h = await HarnessAsync(client);
        var body = Echo(EchoText("wamid.dup/1", "15551234567", 1_700_000_000, "dup"));

        await h.Intake.ReceiveAsync(body, default);
        // A retry that queues again: the first delivery died before the registry's "all queued" mark, or a re-ingest.
        await h.Intake.ReceiveAsync(body, receivedAt: null, default, requeueKnownBodies: true);

        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0].Message.MessageId, sent[1].Message.MessageId);
    }

    [Fact]
    public async Task A_change_above_the_threshold_travels_as_a_range_of_its_archive_blob_named_in_properties()
    {
        var (client, sent) = MockClient();
        var h = await HarnessAsync(client);
        var body = LargeHistoryChunk(10, 100); // ~ 300 KB: above Standard's 256 KB

        await h.Intake.ReceiveAsync(body, default);

        var one = Assert.Single(sent);
        Assert.Equal("coexistence-history", one.Queue);
        Assert.True(one.Message.Body.ToMemory().Length < 2_000, "the message itself must be small");
        Assert.True(ChangeMessageFormat.TryParse(one.Message.Body.ToMemory(), out var parsed, out _));
        Assert.Equal(2, one.Message.ApplicationProperties["version"]);
        Assert.Equal(parsed!.ArchiveBlob, one.Message.ApplicationProperties["archiveBlob"]);
        Assert.Equal(parsed.PayloadRange!.Value.Offset, one.Message.ApplicationProperties["payloadOffset"]);
        Assert.Equal(parsed.PayloadRange!.Value.Length, one.Message.ApplicationProperties["payloadLength"]);
        // The named bytes are the change's value, in the archive blob the door wrote first.
        var value = Assert.Single(Coexistence.Webhooks.WebhookEnvelopeReader.Read(body).Changes).Value.ToArray();
        var archived = await h.Archive.ReadAsync(parsed.ArchiveBlob, default);
        Assert.Equal(value, archived.ToArray().AsSpan((int)parsed.PayloadRange.Value.Offset, (int)parsed.PayloadRange.Value.Length).ToArray());
    }

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem)]
    [InlineData(ServiceBusFailureReason.ServiceBusy)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout)]
    [InlineData(ServiceBusFailureReason.QuotaExceeded)]
    public async Task When_Service_Bus_is_unreachable_or_busy_the_door_answers_503_with_retry_after(ServiceBusFailureReason reason)
    {
        var (client, _) = MockClient(new ServiceBusException("namespace unreachable", reason));
        var h = await HarnessAsync(client);
        var function = new ReceiveWebhook(h.Door);

        var response = (FakeHttpResponse)await function.Run(new FakeHttpRequest(Echo(EchoText("wamid.down/1", "15551234567", 1, "x"))), default);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Header("Retry-After"));
    }

    /// <summary>
    /// Issue 18, finding 5: a send no retry can fix (the queue is missing or disabled, the message too large for it) is
    /// this deployment's fault: 500 with its own code and an error in the log, not a 503 that invites retries forever.
    /// </summary>
    [Theory]
    [InlineData(ServiceBusFailureReason.MessageSizeExceeded)]
    [InlineData(ServiceBusFailureReason.MessagingEntityNotFound)]
    [InlineData(ServiceBusFailureReason.MessagingEntityDisabled)]
    public async Task When_Service_Bus_refuses_the_send_for_good_the_door_answers_500_storage_refused_and_logs_an_error(ServiceBusFailureReason reason)
    {
        var (client, _) = MockClient(new ServiceBusException("refused", reason, "coexistence-echoes"));
        var logs = new CapturedLogs();
        var h = await HarnessAsync(client, logs);

        var answer = await h.Door.ReceiveAsync(_ => null, new MemoryStream(Echo(EchoText("wamid.refused/1", "15551234567", 1, "x"))), default);

        Assert.Equal(500, answer.Status);
        Assert.Null(answer.RetryAfterSeconds);
        Assert.Equal("storage-refused", DoorHarness.Code(answer));
        var error = Assert.Single(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains($"ServiceBusException {reason}", error);
    }

    /// <summary>Issue 18, finding 5: the threshold may not be above what the transport's messages hold (start-up validation).</summary>
    [Theory]
    [InlineData("250000", null)]
    [InlineData("250001", "Intake:ClaimCheckThresholdBytes must be at most 250000 with Service Bus")]
    [InlineData("262144", "Intake:ClaimCheckThresholdBytes must be at most 250000 with Service Bus")]
    public async Task The_threshold_is_bounded_by_what_a_Service_Bus_message_holds(string configured, string? expectedError)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Intake:ClaimCheckThresholdBytes"] = configured })
            .Build();
        await using var services = new ServiceCollection()
            .AddCoexistence(configuration, _ => StorageClients.FromConnectionString(Azurite.ConnectionString))
            .AddSingleton(MockClient().Client.Object)
            .AddServiceBusTransport(configuration)
            .BuildServiceProvider();
        var validator = services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>();

        if (expectedError is null) validator.Validate();
        else Assert.Contains(expectedError, Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(validator.Validate).Message);
    }
}
