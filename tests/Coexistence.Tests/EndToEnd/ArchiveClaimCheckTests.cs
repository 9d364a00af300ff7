using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// Large changes travel as a byte range of their raw archive blob (queue message version 2, docs/queue-messages.md):
/// through the door, processed from the range, no blob but the archive's own copy; the rejections when the range cannot be read.
/// </summary>
public class ArchiveClaimCheckTests
{
    private const string Other = "106540352242933";

    [Fact]
    public async Task A_multi_megabyte_chunk_is_queued_as_a_range_of_its_archive_blob_and_every_message_lands()
    {
        var h = await PipelineHarness.CreateAsync();
        const int chats = 50, perChat = 200;
        var body = LargeHistoryChunk(chats, perChat, textLength: 250);
        Assert.True(body.Length > 2_500_000, $"the generated chunk is only {body.Length} bytes");

        var intake = await h.Intake.ReceiveAsync(body, default);

        Assert.True(Assert.Single(intake.Changes).ClaimChecked);
        var message = Assert.Single(await QueuedChanges.PeekAsync(h.Storage, h.Storage.Names.HistoryQueue));
        Assert.True(message.Payload.IsEmpty);
        Assert.Equal($"{PhoneNumberId}/2026/11/25/{intake.WebhookId}.json", message.ArchiveBlob);
        // The range is the change's value ("data" of the partner envelope), byte for byte, inside the archived body.
        var dataStart = Encoding.UTF8.GetString(body).IndexOf("\"data\":", StringComparison.Ordinal) + "\"data\":".Length;
        Assert.Equal(new PayloadRange(dataStart, body.Length - 1 - dataStart), message.PayloadRange);
        Assert.Equal(1, await DoorTests.CountBlobsAsync(h.Storage));

        var result = Assert.Single(await h.Drainer.DrainAsync(default));
        Assert.Equal(ProcessingOutcome.Processed, result.Outcome);
        Assert.Equal(chats * perChat, result.Messages);
        var chatViews = await h.Queries.GetChatsAsync(PhoneNumberId, default);
        Assert.Equal(chats, chatViews.Count);
        Assert.All(chatViews, c => Assert.Equal(perChat, c.MessageCount));
        var some = await h.Queries.GetMessagesAsync(PhoneNumberId, ChatId(7), default);
        Assert.Equal(Enumerable.Range(0, perChat).Select(m => LargeMessageId(7, m)), some.Select(m => m.Id));
        Assert.Equal("media_placeholder", some[9].Type);
    }

    [Fact]
    public async Task Through_the_http_door_a_chunk_above_the_threshold_is_processed_from_the_archive_which_is_the_only_blob()
    {
        var door = await DoorHarness.CreateAsync(options: new IntakeOptions { ClaimCheckThresholdBytes = 2048 });
        var body = LargeHistoryChunk(3, 20);

        var response = await door.PostAsync(body, ("Content-Type", "application/json"), ("Content-Length", body.Length.ToString()));

        Assert.Equal(202, response.Status);
        var storage = door.Pipeline.Storage;
        Assert.NotNull(Assert.Single(await QueuedChanges.PeekAsync(storage, storage.Names.HistoryQueue)).PayloadRange);
        var result = Assert.Single(await door.Pipeline.Drainer.DrainAsync(default));
        Assert.Equal((ProcessingOutcome.Processed, 60), (result.Outcome, result.Messages));
        Assert.Equal(1, await DoorTests.CountBlobsAsync(storage));
    }

    [Fact]
    public async Task Small_changes_travel_inline()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.Intake.ReceiveAsync(Echo(EchoText("wamid.small/1", "15551234567", 1_700_000_000, "small")), default);

        var message = Assert.Single(await QueuedChanges.PeekAsync(h.Storage, h.Storage.Names.EchoesQueue));
        Assert.Null(message.PayloadRange);
        Assert.False(message.Payload.IsEmpty);
    }

    [Fact]
    public async Task Large_changes_of_a_multi_number_webhook_each_read_their_own_numbers_archive_copy()
    {
        var h = await PipelineHarness.CreateAsync(options: new IntakeOptions { ClaimCheckThresholdBytes = 1024 });
        var body = TwoNumberHistory(PhoneNumberId, Other);

        var intake = await h.Intake.ReceiveAsync(body, default);
        Assert.All(intake.Changes, c => Assert.True(c.ClaimChecked));

        var messages = (await QueuedChanges.PeekAsync(h.Storage, h.Storage.Names.HistoryQueue)).OrderBy(m => m.ChangeIndex).ToList();
        Assert.Equal([PhoneNumberId, Other], messages.Select(m => m.PhoneNumberId));
        Assert.All(messages, m => Assert.StartsWith(m.PhoneNumberId + "/", m.ArchiveBlob));
        Assert.NotEqual(messages[0].PayloadRange, messages[1].PayloadRange);
        Assert.Equal(2, await DoorTests.CountBlobsAsync(h.Storage)); // one archive copy per number, nothing else

        // Without the first number's copy, only the first number's change fails: each reads its own.
        await h.Storage.Container(h.Storage.Names.RawArchiveContainer).DeleteBlobAsync(messages[0].ArchiveBlob);
        var results = await h.Drainer.DrainAsync(default);

        var first = Assert.Single(results, r => r.PhoneNumberId == PhoneNumberId);
        Assert.Equal(ProcessingOutcome.Rejected, first.Outcome);
        Assert.Equal($"archive blob {messages[0].ArchiveBlob} does not exist", first.Reason);
        var second = Assert.Single(results, r => r.PhoneNumberId == Other);
        Assert.Equal((ProcessingOutcome.Processed, 12), (second.Outcome, second.Messages));
        Assert.Equal(12, (await h.Queries.GetMessagesAsync(Other, ChatId(1), default)).Count);
    }

    [Fact]
    public async Task A_message_whose_archive_blob_is_gone_is_poisoned_with_its_reason()
    {
        var h = await PipelineHarness.CreateAsync(options: new IntakeOptions { ClaimCheckThresholdBytes = 1024 });
        await h.Intake.ReceiveAsync(LargeHistoryChunk(2, 20), default);
        var container = h.Storage.Container(h.Storage.Names.RawArchiveContainer);
        var archived = new List<string>();
        await foreach (var blob in container.GetBlobsAsync()) archived.Add(blob.Name);
        await container.DeleteBlobAsync(Assert.Single(archived));

        var result = Assert.Single(await h.Drainer.DrainAsync(default));

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        Assert.Equal($"archive blob {archived[0]} does not exist", result.Reason);
        Assert.Equal("archive-blob-missing", ChangeProcessor.ReasonCode(result.Reason));
        var poisoned = Assert.Single(await PoisonedAsync(h.Storage));
        Assert.NotNull(poisoned.PayloadRange);
        var row = Assert.Single(await HistoryPipelineTests.QuarantineRowsAsync(h));
        Assert.Equal("change|" + KeyEncoding.Encode(poisoned.ChangeId), row.RowKey);
        Assert.Equal(result.Reason, row.GetString("Reason"));
        Assert.Empty(await h.Queries.GetChatsAsync(PhoneNumberId, default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_range_beyond_the_end_of_its_archive_blob_is_poisoned_with_its_reason(bool startsPastTheEnd)
    {
        var h = await PipelineHarness.CreateAsync(options: new IntakeOptions { ClaimCheckThresholdBytes = 1024 });
        var body = LargeHistoryChunk(2, 20);
        await h.Intake.ReceiveAsync(body, default);
        var queue = h.Storage.Queue(h.Storage.Names.HistoryQueue);
        var queued = Assert.Single((await queue.ReceiveMessagesAsync(10)).Value);
        await queue.DeleteMessageAsync(queued.MessageId, queued.PopReceipt);
        Assert.True(ChangeMessageFormat.TryParse(queued.Body.ToMemory(), out var message, out _));
        // A message naming bytes the blob does not have: running past its end, or starting after it.
        var offset = message!.PayloadRange!.Value.Offset;
        var range = startsPastTheEnd ? new PayloadRange(body.Length + 10, 5) : new PayloadRange(offset, body.Length - offset + 1);
        await queue.SendMessageAsync(BinaryData.FromBytes(ChangeMessageFormat.Serialize(message! with { PayloadRange = range })));

        var result = Assert.Single(await h.Drainer.DrainAsync(default));

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        Assert.StartsWith($"payload range ({range}) is beyond the end of archive blob {message.ArchiveBlob}", result.Reason);
        if (!startsPastTheEnd) Assert.EndsWith($"({body.Length} bytes)", result.Reason);
        Assert.Equal("payload-range-out-of-bounds", ChangeProcessor.ReasonCode(result.Reason));
        Assert.Single(await PoisonedAsync(h.Storage));
        Assert.Single(await HistoryPipelineTests.QuarantineRowsAsync(h));
    }

    /// <summary>A Meta-envelope webhook with one history change for each of two numbers, each a few KB (chats 0 and 1, 12 messages each).</summary>
    private static byte[] TwoNumberHistory(string first, string second)
    {
        static string Change(string number, int chat) =>
            $$$"""{"field":"history","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{DisplayNumber}}}","phone_number_id":"{{{number}}}"},"history":[{"metadata":{"phase":1,"chunk_order":{{{chat + 1}}},"progress":50},"threads":[""" +
            Thread(ChatId(chat), Enumerable.Range(0, 12).Select(m => Text($"wamid.two/{number}/{m}", ChatId(chat), 1_690_000_000 + m, new string('y', 100))).ToArray()) +
            "]}]}}";
        return Encoding.UTF8.GetBytes(
            $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{{{Change(first, 0)}}},{{{Change(second, 1)}}}]}]}""");
    }

    private static Task<List<ChangeMessage>> PoisonedAsync(StorageClients storage) =>
        QueuedChanges.PeekAsync(storage, StorageNames.PoisonQueueOf(storage.Names.HistoryQueue));
}
