using System.Text.Json;
using Azure.Data.Tables;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Operations.EraseTestBodies;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Operations;

/// <summary>A deletion request of one customer: <see cref="CustomerErasure"/> against Azurite (docs/operations.md).</summary>
public class EraseCustomerTests
{
    /// <summary>Ann by phone and BSUID (linked), Bob by phone; chats, statuses, contacts, a quarantined item, mixed archive bodies.</summary>
    private static async Task<PipelineHarness> AnnAndBobAsync(ManualTime time, StorageClients? storage = null)
    {
        var h = storage is null ? await PipelineHarness.CreateAsync(time) : PipelineHarness.On(storage, time);
        await h.DeliverAllAsync([
            TwoThreads(Ann, Bob, 1_700_000_000),
            Inbound("wamid.a1", Ann, 1_700_000_050, "hi from ann", userId: AnnUserId),
            EchoTo(Ann, "wamid.a2", 1_700_000_100, "hello ann"),
            Status("wamid.a2", Ann, "delivered", 1_700_000_200),
            Status("wamid.unknown", Ann, "read", 1_700_000_210),
            EchoTo(Bob, "wamid.b2", 1_700_000_100, "hello bob"),
            Status("wamid.b2", Bob, "delivered", 1_700_000_200),
            Contacts(ContactAdd(Ann, "Ann A", "Ann", "1700000000"), ContactAdd(Bob, "Bob B", "Bob", "1700000000")),
            Echo("""{"from":"15550783881","to":"4915100000001","id":"wamid.bad","type":"text","text":{"body":"no time"}}"""),
        ]);
        return h;
    }

    private static async Task<List<string>> RowKeysAsync(StorageClients storage, string table) =>
        [.. (await RowsOfAsync(storage, table, Number)).Select(r => r.RowKey).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Erase_customer_removes_their_chat_contact_links_statuses_and_archive_items_and_leaves_others_intact()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await AnnAndBobAsync(time);
        Assert.Contains("l|" + AnnUserId, await RowKeysAsync(h.Storage, h.Storage.Names.MessagesTable));
        var bobMessages = await h.Queries.GetMessagesAsync(Number, Bob, default);
        var blobsBefore = await BlobsAsync(h.Storage, Number + "/");
        var erasure = h.Get<CustomerErasure>();

        var plan = await erasure.PlanAsync(Number, Ann, default);
        Assert.Equal(ErasureOutcome.Planned, plan.Outcome);
        Assert.Equal(blobsBefore.Keys, (await BlobsAsync(h.Storage, Number + "/")).Keys);

        time.Now = FixedTime.Default.AddMinutes(5);
        var result = await erasure.RunAsync(Number, Ann, "dpo", default);

        Assert.Equal(ErasureOutcome.Erased, result.Outcome);
        Assert.Equal(plan.Counts, result.Counts);
        Assert.Equal([Ann, AnnUserId], result.Record!.ErasedIds);
        var messages = await RowKeysAsync(h.Storage, h.Storage.Names.MessagesTable);
        Assert.DoesNotContain(messages, k => k.Contains(Ann, StringComparison.Ordinal) || k.Contains(AnnUserId, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, k => k.Contains("wamid.a", StringComparison.Ordinal) || k.Contains("wamid.h-" + Ann, StringComparison.Ordinal)
                                             || k.Contains("wamid.unknown", StringComparison.Ordinal));
        Assert.Equal([Bob], await RowKeysAsync(h.Storage, h.Storage.Names.ContactsTable));
        Assert.Empty(await RowsOfAsync(h.Storage, h.Storage.Names.QuarantineTable, Number));
        Assert.Empty(await h.Queries.GetMessagesAsync(Number, Ann, default));
        Assert.Null(await h.Queries.GetStatusesAsync(Number, "wamid.a2", default));
        Assert.Equal(ViewJson.Serialize(bobMessages), ViewJson.Serialize(await h.Queries.GetMessagesAsync(Number, Bob, default)));
        Assert.NotNull(await h.Queries.GetStatusesAsync(Number, "wamid.b2", default));
        Assert.Equal([Bob], (await h.Queries.GetChatsAsync(Number, default)).Select(c => c.ChatId));

        // The archive: bodies naming Ann rewritten without her (same length, valid JSON, marked), the others untouched.
        var blobsAfter = await BlobsAsync(h.Storage, Number + "/");
        Assert.Equal(blobsBefore.Keys.Order(), blobsAfter.Keys.Order());
        var redacted = 0;
        foreach (var (name, before) in blobsBefore)
        {
            var after = blobsAfter[name];
            Assert.DoesNotContain(Ann, Utf8(after));
            Assert.DoesNotContain("hi from ann", Utf8(after));
            if (before.SequenceEqual(after)) continue;
            redacted++;
            Assert.Equal(before.Length, after.Length);
            using var _ = JsonDocument.Parse(after);
            var properties = await h.Storage.Container(h.Storage.Names.RawArchiveContainer).GetBlobClient(name).GetPropertiesAsync();
            Assert.Equal("true", properties.Value.Metadata[CustomerErasure.RedactedMetadata]);
            Assert.NotNull(RawArchive.ReceivedAtOf(properties.Value.Metadata));
        }
        Assert.Equal(result.Counts.BlobsRedacted, redacted);
        Assert.Contains(blobsAfter.Values, b => Utf8(b).Contains("history of " + Bob, StringComparison.Ordinal)); // the mixed chunk keeps Bob

        var record = (await h.Storage.Table(h.Storage.Names.NumbersTable).GetEntityAsync<TableEntity>(Number, NumbersTable.CustomerErasureRowKey(Ann))).Value;
        Assert.Equal((NumbersTable.Erased, "dpo", Ann), (record.GetString(NumbersTable.Columns.State), record.GetString(NumbersTable.Columns.ErasedBy),
            record.GetString(NumbersTable.Columns.CustomerId)));
        Assert.Equal(FixedTime.Default.AddMinutes(5), record.GetDateTimeOffset(NumbersTable.Columns.ErasedAt));

        // Idempotent: again, nothing is left to remove.
        var again = await erasure.RunAsync(Number, Ann, "dpo", default);
        Assert.Equal(ErasureCounts.None with { QueueMessages = null }, again.Counts);
    }

    [Fact]
    public async Task Erase_customer_by_bsuid_reaches_the_linked_phone()
    {
        var h = await AnnAndBobAsync(new ManualTime(FixedTime.Default));

        var result = await h.Get<CustomerErasure>().RunAsync(Number, AnnUserId, "dpo", default);

        Assert.Equal([AnnUserId, Ann], result.Record!.ErasedIds);
        Assert.Empty(await h.Queries.GetMessagesAsync(Number, Ann, default));
        Assert.Equal([Bob], await RowKeysAsync(h.Storage, h.Storage.Names.ContactsTable));
    }

    [Fact]
    public async Task Late_delivery_of_an_erased_customer_is_filtered_and_a_delivery_received_after_the_erasure_is_kept()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await AnnAndBobAsync(time);
        // Received before the erasure, processed after: one body naming both customers.
        await h.Intake.ReceiveAsync(TwoThreads(Bob, Ann, 1_700_001_000), default);
        var late = await TakeQueuedAsync(h.Storage, h.Storage.Names.HistoryQueue);
        await h.Intake.ReceiveAsync(Status("wamid.a2", Ann, "read", 1_700_001_100), default);
        var lateStatus = await TakeQueuedAsync(h.Storage, h.Storage.Names.MessagesQueue);

        time.Now = FixedTime.Default.AddMinutes(5);
        await h.Get<CustomerErasure>().RunAsync(Number, Ann, "dpo", default);
        var processed = await h.Consumer.ConsumeAsync(WebhookKind.History, late, default);
        var status = await h.Consumer.ConsumeAsync(WebhookKind.Messages, lateStatus, default);

        Assert.Equal((ProcessingOutcome.Processed, false, 1), (processed.Outcome, processed.Dropped, processed.Messages));
        Assert.Equal(0, status.Statuses);
        Assert.Empty(await h.Queries.GetMessagesAsync(Number, Ann, default));
        Assert.Null(await h.Queries.GetStatusesAsync(Number, "wamid.a2", default));
        Assert.Contains(await h.Queries.GetMessagesAsync(Number, Bob, default), m => m.Timestamp == 1_700_001_000);

        // Ann writes again after the erasure: that is new data, kept.
        time.Now = FixedTime.Default.AddMinutes(6);
        await h.DeliverAsync(Inbound("wamid.a9", Ann, 1_700_002_000, "back again"));
        Assert.Equal("back again", Assert.Single(await h.Queries.GetMessagesAsync(Number, Ann, default)).Text);
    }

    [Fact]
    public async Task Erase_customer_that_stops_half_way_resumes_with_the_same_erased_at_and_completes()
    {
        var armed = false;
        var policy = new FaultInjectionPolicy((message, _) => armed && FaultInjectionPolicy.IsTableBatch(message) ? Fault.Crash : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var time = new ManualTime(FixedTime.Default);
        var h = await AnnAndBobAsync(time, storage);
        var bobMessages = ViewJson.Serialize(await h.Queries.GetMessagesAsync(Number, Bob, default));
        var erasure = h.Get<CustomerErasure>();

        time.Now = FixedTime.Default.AddMinutes(5);
        armed = true;
        await Assert.ThrowsAnyAsync<Exception>(() => erasure.RunAsync(Number, Ann, "dpo", default));
        armed = false;
        var stopped = (await storage.Table(storage.Names.NumbersTable).GetEntityAsync<TableEntity>(Number, NumbersTable.CustomerErasureRowKey(Ann))).Value;
        Assert.Equal((NumbersTable.Erasing, $"{Ann} {AnnUserId}"),
            (stopped.GetString(NumbersTable.Columns.State), stopped.GetString(NumbersTable.Columns.ErasedIds)));
        Assert.NotEmpty(await h.Queries.GetMessagesAsync(Number, Ann, default));

        time.Now = FixedTime.Default.AddMinutes(7);
        var resumed = await erasure.RunAsync(Number, Ann, "someone else", default);

        Assert.True(resumed.Resumed);
        Assert.Equal((NumbersTable.Erased, FixedTime.Default.AddMinutes(5), "dpo"), (resumed.Record!.State, resumed.Record.ErasedAt, resumed.Record.ErasedBy));
        Assert.Empty(await h.Queries.GetMessagesAsync(Number, Ann, default));
        Assert.DoesNotContain(await RowKeysAsync(storage, storage.Names.MessagesTable), k => k.Contains(AnnUserId, StringComparison.Ordinal));
        Assert.Equal([Bob], await RowKeysAsync(storage, storage.Names.ContactsTable));
        Assert.Equal(bobMessages, ViewJson.Serialize(await h.Queries.GetMessagesAsync(Number, Bob, default)));
    }

    [Fact]
    public async Task Erase_of_an_unknown_customer_of_a_known_number_says_so_and_writes_nothing()
    {
        var h = await AnnAndBobAsync(new ManualTime(FixedTime.Default));
        var rows = await TableDump.DumpAsync(h.Storage);

        var result = await h.Get<CustomerErasure>().RunAsync(Number, "4915199999999", "dpo", default);

        Assert.Equal(ErasureOutcome.UnknownCustomer, result.Outcome);
        Assert.Equal(rows, await TableDump.DumpAsync(h.Storage));
        Assert.Equal(ErasureOutcome.UnknownNumber, (await h.Get<CustomerErasure>().RunAsync("999", Ann, "dpo", default)).Outcome);
    }
}
