using Azure.Messaging.ServiceBus;
using Moq;

namespace Coexistence.Tests.Operations;

/// <summary>
/// Service Bus dead-letter listing and re-drive (<see cref="ServiceBusDeadLetters"/>) with the broker
/// mocked: no Service Bus runs here. Checks the sub-queue, the peek paging, the copy sent back (fresh
/// MessageId, no dead-letter marks) and the settlement of selected and unselected messages.
/// </summary>
public class DeadLetterTests
{
    private const string Number = "106540352242922";

    private static ServiceBusReceivedMessage DeadLettered(string phoneNumberId, string webhookId, long sequence, string reason)
    {
        var message = new ChangeMessage
        {
            Kind = WebhookKind.History,
            PhoneNumberId = phoneNumberId,
            DisplayPhoneNumber = "15550001111",
            WebhookId = webhookId,
            ChangeIndex = 0,
            ReceivedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
            ArchiveBlob = "a.json",
            Payload = "{}"u8.ToArray(),
        };
        return ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromBytes(ChangeMessageFormat.Serialize(message)), messageId: message.ChangeId, sequenceNumber: sequence, deliveryCount: 10,
            properties: new Dictionary<string, object> { ["DeadLetterReason"] = reason, ["DeadLetterErrorDescription"] = "it failed", ["phoneNumberId"] = phoneNumberId },
            enqueuedTime: new DateTimeOffset(2026, 11, 25, 12, 1, 0, TimeSpan.Zero));
    }

    private static (Mock<ServiceBusClient> Client, Dictionary<string, Mock<ServiceBusReceiver>> Receivers, Mock<ServiceBusSender> Sender) Broker()
    {
        var client = new Mock<ServiceBusClient>();
        var receivers = new Dictionary<string, Mock<ServiceBusReceiver>>();
        foreach (var queue in StorageNames.Default.Queues)
        {
            var receiver = new Mock<ServiceBusReceiver>();
            receiver.Setup(r => r.PeekMessagesAsync(It.IsAny<int>(), It.IsAny<long?>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
            receiver.Setup(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
            receivers[queue] = receiver;
            client.Setup(c => c.CreateReceiver(queue, It.Is<ServiceBusReceiverOptions>(o => o.SubQueue == SubQueue.DeadLetter))).Returns(receiver.Object);
        }
        var sender = new Mock<ServiceBusSender>();
        client.Setup(c => c.CreateSender(It.IsAny<string>())).Returns(sender.Object);
        return (client, receivers, sender);
    }

    [Fact]
    public async Task List_peeks_every_dead_letter_queue_page_by_page_with_the_reasons()
    {
        var (client, receivers, _) = Broker();
        var history = receivers[QueueNames.History];
        var first = DeadLettered(Number, "aa", 5, "MaxDeliveryCountExceeded");
        var second = DeadLettered(Number, "bb", 9, "claim-check-missing");
        history.Setup(r => r.PeekMessagesAsync(100, null, It.IsAny<CancellationToken>())).ReturnsAsync([first]);
        history.Setup(r => r.PeekMessagesAsync(100, 6, It.IsAny<CancellationToken>())).ReturnsAsync([second]);
        history.Setup(r => r.PeekMessagesAsync(100, 10, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var listed = await new ServiceBusDeadLetters(client.Object, StorageNames.Default).ListAsync(null, null, CancellationToken.None);

        Assert.Equal(["aa-0", "bb-0"], listed.Select(m => m.ChangeId));
        Assert.All(listed, m => Assert.Equal(WebhookKind.History, m.Kind));
        Assert.Equal("MaxDeliveryCountExceeded", listed[0].Reason);
        Assert.Equal("it failed", listed[0].ErrorDescription);
        Assert.Equal(Number, listed[0].PhoneNumberId);
        Assert.Equal(10, listed[0].DeliveryCount);
        history.Verify(r => r.ReceiveMessagesAsync(It.IsAny<int>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()), Times.Never);
        history.Verify(r => r.CompleteMessageAsync(It.IsAny<ServiceBusReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Redrive_sends_a_fresh_copy_of_the_selected_messages_completes_them_and_abandons_the_rest()
    {
        var (client, receivers, sender) = Broker();
        var history = receivers[QueueNames.History];
        var selected = DeadLettered(Number, "aa", 5, "MaxDeliveryCountExceeded");
        var other = DeadLettered("999", "bb", 6, "MaxDeliveryCountExceeded");
        history.SetupSequence(r => r.ReceiveMessagesAsync(100, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([selected, other])
            .ReturnsAsync([]);
        var sent = new List<ServiceBusMessage>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(m)).Returns(Task.CompletedTask);

        var summary = await new ServiceBusDeadLetters(client.Object, StorageNames.Default)
            .RedriveAsync(new PoisonSelection(PhoneNumberId: Number), null, CancellationToken.None);

        Assert.Equal(new DeadLetterRedriveSummary(1, 1), summary);
        var copy = Assert.Single(sent);
        Assert.Equal(selected.Body.ToArray(), copy.Body.ToArray());
        Assert.StartsWith("aa-0|redrive|", copy.MessageId);
        Assert.False(copy.ApplicationProperties.ContainsKey("DeadLetterReason"));
        Assert.Equal("aa-0", copy.ApplicationProperties["redrivenFrom"]);
        client.Verify(c => c.CreateSender(QueueNames.History));
        history.Verify(r => r.CompleteMessageAsync(selected, It.IsAny<CancellationToken>()), Times.Once);
        history.Verify(r => r.AbandonMessageAsync(other, null, It.IsAny<CancellationToken>()), Times.Once);
        history.Verify(r => r.CompleteMessageAsync(other, It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void A_namespace_name_becomes_its_host_name()
    {
        Assert.Equal("sb-x.servicebus.windows.net", ServiceBusDeadLetters.FullyQualified("sb-x"));
        Assert.Equal("sb-x.servicebus.usgovcloudapi.net", ServiceBusDeadLetters.FullyQualified("sb-x.servicebus.usgovcloudapi.net"));
    }
}
