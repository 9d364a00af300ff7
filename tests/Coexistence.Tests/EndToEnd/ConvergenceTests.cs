using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>Any delivery order, with any duplicates, ends in the same tables.</summary>
public class ConvergenceTests
{
    private const string Ada = "15551234567", Grace = "447700900123";

    /// <summary>A small onboarding: two history phases, a placeholder and its follow-up, contacts, echoes with an edit and a revoke, one Meta batch.</summary>
    private static List<byte[]> Story() =>
    [
        HistoryChunk(0, 1, 30, Thread(Ada, Text("wamid.h/1", Ada, 1_690_000_000, "hello", status: "read"),
                                            Text("wamid.h/2", BusinessDigits, 1_690_000_060, "hi Ada", status: "DELIVERED", to: Ada))),
        HistoryChunk(1, 2, 70, Thread(Grace, Placeholder("wamid.h/3=", Grace, 1_680_000_000))),
        HistoryChunk(2, 3, 100, Thread(Grace, Text("wamid.h/4", Grace, 1_670_000_000, "oldest"))),
        MediaFollowUp("wamid.h/3=", Grace, 1_680_000_500, type: "document", mediaId: "doc-1", caption: "invoice"),
        Contacts(ContactAdd(Ada, "Ada Lovelace", "Ada", "1700000000"), ContactAdd(Grace, "Grace Hopper", "Grace", "1700000000")),
        Contacts(ContactRemove(Grace, "0")),
        Echo(EchoText("wamid.e/1", Ada, 1_700_000_100, "order shipped")),
        Echo(EchoEdit("wamid.e/2", Ada, 1_700_000_200, "wamid.e/1", "order shipped today")),
        Echo(EchoRevoke("wamid.e/3", Ada, 1_700_000_300, "wamid.h/2")),
        System.Text.Encoding.UTF8.GetBytes($$$"""
        {"object":"whatsapp_business_account","entry":[
          {"id":"{{{WabaId}}}","changes":[
            {"field":"smb_message_echoes","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{DisplayNumber}}}","phone_number_id":"{{{PhoneNumberId}}}"},
              "message_echoes":[{"from":"{{{BusinessDigits}}}","to":"{{{Grace}}}","id":"wamid.e/4","timestamp":"1700000400","type":"text","text":{"body":"batched"}}]}},
            {"field":"statuses","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{DisplayNumber}}}","phone_number_id":"{{{PhoneNumberId}}}"},"statuses":[]}}]},
          {"id":"2","changes":[
            {"field":"smb_app_state_sync","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783999","phone_number_id":"106540352242999"},
              "state_sync":[{"type":"contact","contact":{"full_name":"Other","first_name":"O","phone_number":"4915123456789"},"action":"add","metadata":{"timestamp":"1700000000"}}]}}]}]}
        """),
    ];

    [Fact]
    public async Task Forward_reversed_and_duplicated_deliveries_end_in_identical_tables()
    {
        var story = Story();
        var forward = await RunAsync(story);
        var reversed = await RunAsync(Enumerable.Reverse(story));
        var rng = new Random(20261125);
        var duplicated = await RunAsync(story.Concat(story).OrderBy(_ => rng.Next()));

        Assert.NotEmpty(forward);
        Assert.Equal(forward, reversed);
        Assert.Equal(forward, duplicated);
    }

    [Fact]
    public async Task Many_shuffled_orders_converge_and_match_the_expected_views()
    {
        var story = Story();
        IReadOnlyList<string>? first = null;
        for (var seed = 1; seed <= 4; seed++)
        {
            var rng = new Random(seed);
            var h = await PipelineHarness.CreateAsync();
            await h.DeliverAllAsync(story.Concat(story.Where(_ => rng.Next(3) == 0)).OrderBy(_ => rng.Next()));
            var dump = await TableDump.DumpAsync(h.Storage);
            if (first is null) first = dump;
            else Assert.Equal(first, dump);

            // What a reader of the tables must see, worked out from the story by hand.
            var q = h.Queries;
            Assert.Equal([(Grace, 1_700_000_400L, 3L), (Ada, 1_700_000_100L, 3L)],
                (await q.GetChatsAsync(PhoneNumberId, default)).Select(c => (c.ChatId, c.LastMessageAt, c.MessageCount)));
            var adaMessages = await q.GetMessagesAsync(PhoneNumberId, Ada, default);
            Assert.Equal(["wamid.h/1", "wamid.h/2", "wamid.e/1"], adaMessages.Select(m => m.Id));
            Assert.Equal([false, true, false], adaMessages.Select(m => m.Revoked));
            Assert.Equal("order shipped today", adaMessages[2].Text);
            Assert.Equal(["READ", "DELIVERED", null], adaMessages.Select(m => m.Status));
            var graceMessages = await q.GetMessagesAsync(PhoneNumberId, Grace, default);
            Assert.Equal(["wamid.h/4", "wamid.h/3=", "wamid.e/4"], graceMessages.Select(m => m.Id));
            Assert.Equal(["text", "document", "text"], graceMessages.Select(m => m.Type));
            Assert.Equal("invoice", graceMessages[1].Media!.Caption);
            Assert.Equal(["Ada Lovelace"], (await q.GetContactsAsync(PhoneNumberId, default)).Select(c => c.FullName));
            Assert.Equal(["Other"], (await q.GetContactsAsync("106540352242999", default)).Select(c => c.FullName));
            var history = await q.GetHistoryStatusAsync(PhoneNumberId, default);
            Assert.Equal(("completed", 100L, 3), (history.State, history.Progress, history.Chunks));
        }
    }

    [Fact]
    public async Task Concurrent_consumers_of_one_number_lose_no_update()
    {
        // 20 chunks for the same two chats processed in parallel: the chat summaries must count every message.
        var h = await PipelineHarness.CreateAsync();
        var chunks = Enumerable.Range(0, 20).Select(i => HistoryChunk(1, i, i * 5,
            Thread(Ada, Text($"wamid.par/a{i}", Ada, 1_690_000_000 + i, "a")),
            Thread(Grace, Text($"wamid.par/g{i}", Grace, 1_690_000_000 + i, "g"), Text($"wamid.par/g{i}b", Grace, 1_690_000_500 + i, "g2")))).ToList();
        foreach (var chunk in chunks)
            Assert.Equal(Coexistence.Intake.IntakeOutcome.Accepted, (await h.Intake.ReceiveAsync(chunk, default)).Outcome);

        var queue = h.Storage.Queue(h.Storage.Names.HistoryQueue);
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        Assert.Equal(20, messages.Length);
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (m, ct) => await h.Processor.ProcessAsync(m.Body.ToMemory(), ct));

        var chats = await h.Queries.GetChatsAsync(PhoneNumberId, default);
        Assert.Equal([(Grace, 1_690_000_519L, 40L), (Ada, 1_690_000_019L, 20L)], chats.Select(c => (c.ChatId, c.LastMessageAt, c.MessageCount)));
        Assert.Equal(20, (await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default)).Chunks);
    }

    private static async Task<IReadOnlyList<string>> RunAsync(IEnumerable<byte[]> bodies)
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(bodies);
        return await TableDump.DumpAsync(h.Storage);
    }
}
