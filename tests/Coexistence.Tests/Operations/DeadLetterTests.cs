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
        Assert.Equal("aa-0|redrive|5", copy.MessageId);
        Assert.False(copy.ApplicationProperties.ContainsKey("DeadLetterReason"));
        Assert.Equal("aa-0", copy.ApplicationProperties["redrivenFrom"]);
        client.Verify(c => c.CreateSender(QueueNames.History));
        history.Verify(r => r.CompleteMessageAsync(selected, It.IsAny<CancellationToken>()), Times.Once);
        history.Verify(r => r.AbandonMessageAsync(other, null, It.IsAny<CancellationToken>()), Times.Once);
        history.Verify(r => r.CompleteMessageAsync(other, It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>
    /// Issue 18, finding 4: the same change dead-lettered and re-driven again and again. Each copy's id is built from the
    /// original's (it used to append to the current one: 93, 120, then 147 characters, and the third re-drive threw), and
    /// <c>--id</c> with the original change id keeps selecting it.
    /// </summary>
    [Fact]
    public async Task A_change_re_driven_again_and_again_keeps_its_original_id_and_a_message_id_within_128_characters()
    {
        var (client, receivers, sender) = Broker();
        var history = receivers[QueueNames.History];
        var webhookId = new string('c', 64); // a real change id: {64 hex}-{index}
        var deadLetter = DeadLettered(Number, webhookId, 5, "MaxDeliveryCountExceeded");
        var sent = new List<ServiceBusMessage>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(m)).Returns(Task.CompletedTask);
        var deadLetters = new ServiceBusDeadLetters(client.Object, StorageNames.Default);

        for (var round = 1; round <= 5; round++)
        {
            history.Setup(r => r.ReceiveMessagesAsync(100, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>())).ReturnsAsync([deadLetter]);

            var summary = await deadLetters.RedriveAsync(new PoisonSelection(ChangeId: $"{webhookId}-0"), null, CancellationToken.None);

            Assert.Equal(new DeadLetterRedriveSummary(1, 0), summary);
            var copy = sent[^1];
            Assert.True(copy.MessageId.Length <= 128, $"round {round}: a MessageId of {copy.MessageId.Length} characters");
            Assert.Equal($"{webhookId}-0|redrive|{deadLetter.SequenceNumber}", copy.MessageId);
            Assert.Equal($"{webhookId}-0", copy.ApplicationProperties["redrivenFrom"]);
            // The copy failed again and was dead-lettered: it is what the next round finds.
            var properties = new Dictionary<string, object>(copy.ApplicationProperties)
            {
                ["DeadLetterReason"] = "MaxDeliveryCountExceeded",
                ["DeadLetterErrorDescription"] = "it failed again",
            };
            deadLetter = ServiceBusModelFactory.ServiceBusReceivedMessage(body: copy.Body, messageId: copy.MessageId, sequenceNumber: 5 + round * 10,
                deliveryCount: 10, properties: properties);
        }
        Assert.Equal(5, sent.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task A_dead_lettered_retry_copy_is_re_driven_with_every_attempt_again_and_listed_under_its_change_id()
    {
        var (client, receivers, sender) = Broker();
        var history = receivers[QueueNames.History];
        var retried = DeadLettered(Number, "dd", 30, ServiceBusRetrySchedule.RetriesExhaustedReason);
        var properties = new Dictionary<string, object>(retried.ApplicationProperties) { ["retryOf"] = "dd-0", ["failedAttempts"] = 4 };
        var deadLetter = ServiceBusModelFactory.ServiceBusReceivedMessage(body: retried.Body, messageId: "dd-0|retry|29", sequenceNumber: 30, deliveryCount: 1,
            properties: properties);
        history.Setup(r => r.PeekMessagesAsync(100, null, It.IsAny<CancellationToken>())).ReturnsAsync([deadLetter]);
        history.SetupSequence(r => r.ReceiveMessagesAsync(100, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>())).ReturnsAsync([deadLetter]).ReturnsAsync([]);
        var sent = new List<ServiceBusMessage>();
        sender.Setup(s => s.SendMessageAsync(It.IsAny<ServiceBusMessage>(), It.IsAny<CancellationToken>()))
            .Callback<ServiceBusMessage, CancellationToken>((m, _) => sent.Add(m)).Returns(Task.CompletedTask);
        var deadLetters = new ServiceBusDeadLetters(client.Object, StorageNames.Default);

        Assert.Equal("dd-0", Assert.Single(await deadLetters.ListAsync(null, null, CancellationToken.None)).ChangeId);
        await deadLetters.RedriveAsync(new PoisonSelection(ChangeId: "dd-0"), null, CancellationToken.None);

        var copy = Assert.Single(sent);
        Assert.Equal("dd-0|redrive|30", copy.MessageId);
        Assert.Equal("dd-0", copy.ApplicationProperties["redrivenFrom"]);
        Assert.False(copy.ApplicationProperties.ContainsKey("failedAttempts"));
        Assert.False(copy.ApplicationProperties.ContainsKey("retryOf"));
    }

    [Fact]
    public void A_copy_of_an_original_id_too_long_to_suffix_names_its_hash_instead()
    {
        var original = new string('x', 128);
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("not json"), messageId: original, sequenceNumber: 9_223_372_036_854_775_807);

        var redriven = ServiceBusMessageCopies.RedriveCopy(message);
        var retried = ServiceBusMessageCopies.RetryCopy(message, 1);

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(original)));
        Assert.Equal($"{hash}|redrive|9223372036854775807", redriven.MessageId);
        Assert.Equal($"{hash}|retry|9223372036854775807", retried.MessageId);
        Assert.Equal(original, redriven.ApplicationProperties["redrivenFrom"]);
        Assert.Equal(original, retried.ApplicationProperties["retryOf"]);
    }

    [Fact]
    public void A_namespace_name_becomes_its_host_name()
    {
        Assert.Equal("sb-x.servicebus.windows.net", ServiceBusDeadLetters.FullyQualified("sb-x"));
        Assert.Equal("sb-x.servicebus.usgovcloudapi.net", ServiceBusDeadLetters.FullyQualified("sb-x.servicebus.usgovcloudapi.net"));
    }
}
