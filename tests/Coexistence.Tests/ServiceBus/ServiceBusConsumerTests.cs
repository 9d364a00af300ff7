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
/// (received message, settlement actions) from ServiceBusModelFactory and Moq: no broker runs here.
/// </summary>
public class ServiceBusConsumerTests
{
    /// <summary>The queue message the door produces for a body, as the Service Bus trigger would receive it.</summary>
    private static async Task<ServiceBusReceivedMessage> ReceivedFromDoorAsync(PipelineHarness h, byte[] webhook)
    {
        byte[]? sent = null;
        ChangeMessage? sentMessage = null;
        var queue = new Mock<IChangeQueue>();
        queue.Setup(q => q.SendAsync(It.IsAny<ChangeMessage>(), It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()))
            .Callback<ChangeMessage, ReadOnlyMemory<byte>, CancellationToken>((m, b, _) => (sentMessage, sent) = (m, b.ToArray()))
            .Returns(Task.CompletedTask);
        var intake = new Coexistence.Intake.WebhookIntake(h.Registry, h.Archive, queue.Object, new Coexistence.Intake.IntakeOptions(), new FixedTime(),
            NullLogger<Coexistence.Intake.WebhookIntake>.Instance);
        Assert.Equal(Coexistence.Intake.IntakeOutcome.Accepted, (await intake.ReceiveAsync(webhook, default)).Outcome);
        return ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromBytes(sent!), messageId: sentMessage!.ChangeId, deliveryCount: 1);
    }

    private static ServiceBusConsumer Consumer(PipelineHarness pipeline) => new(pipeline.Processor, NullLogger<ServiceBusConsumer>.Instance);

    [Fact]
    public async Task A_processed_message_is_completed_and_its_rows_written()
    {
        var h = await PipelineHarness.CreateAsync();
        var message = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/1", "15551234567", 1_700_000_000, "via service bus")));
        var actions = new Mock<ServiceBusMessageActions>();

        await new ProcessMessageEchoes(Consumer(h)).Run(message, actions.Object, default);

        actions.Verify(a => a.CompleteMessageAsync(message, It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
        Assert.Equal("via service bus", Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, "15551234567", default)).Text);
    }

    [Theory]
    [InlineData("{\"version\":3,\"kind\":\"history\"}", "unsupported version 3")]
    [InlineData("this is not json", "unreadable queue message: not JSON")]
    public async Task A_message_that_can_never_succeed_is_dead_lettered_at_once_with_a_reason(string body, string expectedDescription)
    {
        var h = await PipelineHarness.CreateAsync();
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString(body), messageId: "m-1", deliveryCount: 1);
        var actions = new Mock<ServiceBusMessageActions>();

        await new ProcessHistory(Consumer(h)).Run(message, actions.Object, default);

        actions.Verify(a => a.DeadLetterMessageAsync(message, null, ServiceBusConsumer.UnprocessableReason,
            It.Is<string>(d => d.Contains(expectedDescription)), It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_message_whose_archive_blob_is_missing_is_dead_lettered()
    {
        var h = await PipelineHarness.CreateAsync();
        var ranged = new ChangeMessage
        {
            Kind = Coexistence.Webhooks.WebhookKind.History,
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

        actions.Verify(a => a.DeadLetterMessageAsync(message, null, ServiceBusConsumer.UnprocessableReason,
            It.Is<string>(d => d == $"archive blob {PhoneNumberId}/2026/11/25/cd.json does not exist"), It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task A_transient_storage_failure_abandons_the_message_and_rethrows()
    {
        // Storage that refuses connections, without client retries so the test is quick.
        const string unreachable = "http://127.0.0.1:1/devstoreaccount1";
        var key = new TableSharedKeyCredential("devstoreaccount1", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");
        var storage = new StorageClients(
            new TableServiceClient(new Uri(unreachable), key, new TableClientOptions { Retry = { MaxRetries = 0 } }),
            new BlobServiceClient(new Uri(unreachable), new Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="), new BlobClientOptions { Retry = { MaxRetries = 0 } }),
            new QueueServiceClient(new Uri(unreachable), new QueueClientOptions { Retry = { MaxRetries = 0 } }),
            StorageNames.Default);
        var down = PipelineHarness.On(storage);
        var h = await PipelineHarness.CreateAsync();
        var message = await ReceivedFromDoorAsync(h, Echo(EchoText("wamid.sb/2", "15551234567", 1_700_000_000, "later")));
        var actions = new Mock<ServiceBusMessageActions>();

        await Assert.ThrowsAnyAsync<Exception>(() => new ProcessMessageEchoes(Consumer(down)).Run(message, actions.Object, default));

        actions.Verify(a => a.AbandonMessageAsync(message, null, It.IsAny<CancellationToken>()), Times.Once);
        actions.VerifyNoOtherCalls();
    }
}
