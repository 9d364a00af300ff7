using Azure.Data.Tables;
using Coexistence.Tests.Cli;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Operations.EraseTestBodies;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Operations;

/// <summary>A business leaves: <see cref="NumberErasure"/> against Azurite (docs/operations.md, "A business leaves").</summary>
public class EraseNumberTests
{
    private const string Waba = "WABA-ERASE-1";
    private const string UnroutedOfNumber = "unrouted/2026/11/25/aaaa.json";
    private const string UnroutedOfNobody = "unrouted/2026/11/25/bbbb.json";

    /// <summary>Rows, blobs and queued changes of two numbers (and the Numbers rows another engineer's code writes, by hand here).</summary>
    private static async Task<PipelineHarness> TwoNumbersAsync(ManualTime time)
    {
        var h = await PipelineHarness.CreateAsync(time);
        await h.DeliverAllAsync([
            TwoThreads(Ann, Bob, 1_700_000_000),
            EchoTo(Ann, "wamid.e1", 1_700_000_100, "hello ann"),
            Contacts(ContactAdd(Ann, "Ann A", "Ann", "1700000000")),
            Status("wamid.e1", Ann, "delivered", 1_700_000_200),
            Echo("""{"from":"15550783881","to":"4915100000001","id":"wamid.bad","type":"text","text":{"body":"no time"}}"""),
            EchoTo(Ann, "wamid.o1", 1_700_000_100, "other number", number: Other),
            Inbound("wamid.o2", Bob, 1_700_000_300, "bob on the other number", number: Other),
        ]);
        // Waiting on the queues, not yet processed: one change of each number.
        Assert.Equal(IntakeOutcome.Accepted, (await h.Intake.ReceiveAsync(EchoTo(Bob, "wamid.q1", 1_700_000_400, "queued"), default)).Outcome);
        Assert.Equal(IntakeOutcome.Accepted, (await h.Intake.ReceiveAsync(EchoTo(Bob, "wamid.q2", 1_700_000_400, "queued", Other), default)).Outcome);

        var numbers = h.Storage.Table(h.Storage.Names.NumbersTable);
        // The registry knows both numbers from their webhooks; the number also has a lifecycle event whose body is in unrouted/.
        await numbers.UpsertEntityAsync(new TableEntity(Number, NumbersTable.NumberRowKey) { [NumbersTable.Columns.WabaId] = Waba });
        await numbers.UpsertEntityAsync(new TableEntity(Number, NumbersTable.EventRowKey(new AccountEvent("PARTNER_REMOVED", null, null, null, 1_700_000_000, "{}")))
            { [NumbersTable.Columns.Event] = "PARTNER_REMOVED", [NumbersTable.Columns.ArchiveBlob] = UnroutedOfNumber });
        await numbers.UpsertEntityAsync(new TableEntity(NumbersTable.WabaPartition(Waba), Number));
        await numbers.UpsertEntityAsync(new TableEntity(NumbersTable.WabaPartition(Waba), Other));
        await numbers.UpsertEntityAsync(new TableEntity(Other, NumbersTable.NumberRowKey) { [NumbersTable.Columns.WabaId] = Waba });
        var container = h.Storage.Container(h.Storage.Names.RawArchiveContainer);
        await container.GetBlobClient(UnroutedOfNumber).UploadAsync(BinaryData.FromString("{}"));
        await container.GetBlobClient(UnroutedOfNobody).UploadAsync(BinaryData.FromString("{}"));
        return h;
    }

    private static async Task<TableEntity> RecordAsync(StorageClients storage) =>
        (await storage.Table(storage.Names.NumbersTable).GetEntityAsync<TableEntity>(Number, NumbersTable.NumberErasureRowKey)).Value;

    [Fact]
    public async Task Erase_number_removes_every_row_blob_and_queued_change_of_the_number_and_nothing_of_another()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await TwoNumbersAsync(time);
        var erasure = h.Get<NumberErasure>();
        var otherRows = await RowsOutsideAsync(h.Storage, Number, NumbersTable.WabaPartition(Waba));
        var otherBlobs = await BlobsAsync(h.Storage, Other + "/");
        Assert.NotEmpty(otherBlobs);

        // The dry run counts and deletes nothing.
        var rowsBefore = await StorageInspection.CountRowsForAsync(h.Storage, Number);
        var plan = await erasure.PlanAsync(Number, default);
        Assert.Equal(ErasureOutcome.Planned, plan.Outcome);
        Assert.Equal(rowsBefore, await StorageInspection.CountRowsForAsync(h.Storage, Number));
        Assert.Null(plan.Counts.QueueMessages);

        time.Now = FixedTime.Default.AddMinutes(5);
        var result = await erasure.RunAsync(Number, "ops@example", default);

        Assert.Equal(ErasureOutcome.Erased, result.Outcome);
        Assert.False(result.Resumed);
        Assert.Equal(plan.Counts with { QueueMessages = 1 }, result.Counts);
        Assert.Equal(rowsBefore + 1, result.Counts.Rows); // the WABA index row too
        Assert.True(result.Counts.Messages > 0 && result.Counts.Contacts == 1 && result.Counts.HistorySync == 1 && result.Counts.Quarantine == 1,
            ViewJson.Serialize(result.Counts));
        Assert.Equal(3, result.Counts.Numbers); // registry row, event row, WABA index row

        // Only the record is left of the number; the other number's rows, blobs and queued change are as they were.
        var left = Assert.Single(await RowsOfAsync(h.Storage, h.Storage.Names.NumbersTable, Number));
        Assert.Equal(NumbersTable.NumberErasureRowKey, left.RowKey);
        Assert.Equal(1, await StorageInspection.CountRowsForAsync(h.Storage, Number));
        Assert.Equal(0, await StorageInspection.CountArchivedBodiesForAsync(h.Storage, Number));
        var unrouted = await BlobsAsync(h.Storage, "unrouted/");
        Assert.Equal([UnroutedOfNobody], unrouted.Keys);
        Assert.Equal(otherBlobs.Keys.Order(), (await BlobsAsync(h.Storage, Other + "/")).Keys.Order());
        Assert.Equal(otherRows.Append($"Numbers {NumbersTable.WabaPartition(Waba)} {Other} ").Order(StringComparer.Ordinal),
            (await RowsOutsideAsync(h.Storage, Number)).Order(StringComparer.Ordinal));
        var drained = Assert.Single(await h.Drainer.DrainAsync(default));
        Assert.Equal((Other, 1), (drained.PhoneNumberId, drained.Messages));

        // The record, with the counts.
        var record = await RecordAsync(h.Storage);
        Assert.Equal((NumbersTable.Erased, "ops@example"), (record.GetString(NumbersTable.Columns.State), record.GetString(NumbersTable.Columns.ErasedBy)));
        Assert.Equal(time.Now, record.GetDateTimeOffset(NumbersTable.Columns.CompletedAt));
        Assert.Equal(FixedTime.Default.AddMinutes(5), record.GetDateTimeOffset(NumbersTable.Columns.ErasedAt));
        Assert.Equal(result.Counts.Messages, record.GetInt64(NumbersTable.Columns.MessagesRows));
        Assert.Equal(result.Counts.BlobsDeleted, record.GetInt64(NumbersTable.Columns.BlobsDeleted));
        Assert.Equal(1, record.GetInt64(NumbersTable.Columns.QueueMessages));
    }

    [Fact]
    public async Task Erase_number_again_is_a_new_erasure_of_what_is_there_now()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await TwoNumbersAsync(time);
        var erasure = h.Get<NumberErasure>();
        time.Now = FixedTime.Default.AddMinutes(5);
        await erasure.RunAsync(Number, "first", default);

        time.Now = FixedTime.Default.AddMinutes(10);
        var again = await erasure.RunAsync(Number, "second", default);

        Assert.Equal(ErasureOutcome.Erased, again.Outcome);
        Assert.Equal(ErasureCounts.None, again.Counts);
        var record = await RecordAsync(h.Storage);
        Assert.Equal(FixedTime.Default.AddMinutes(10), record.GetDateTimeOffset(NumbersTable.Columns.ErasedAt));
        Assert.Equal("second", record.GetString(NumbersTable.Columns.ErasedBy));
        Assert.Equal(1, await StorageInspection.CountRowsForAsync(h.Storage, Number));
        Assert.Equal(ErasureOutcome.Planned, (await erasure.PlanAsync(Number, default)).Outcome); // known: it has a record
    }

    [Fact]
    public async Task Erase_number_that_stops_half_way_resumes_with_the_same_erased_at_and_completes()
    {
        var armed = false;
        var batches = 0;
        var policy = new FaultInjectionPolicy((message, _) =>
            armed && FaultInjectionPolicy.IsTableBatch(message) && Interlocked.Increment(ref batches) == 2 ? Fault.Crash : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var time = new ManualTime(FixedTime.Default);
        var h = PipelineHarness.On(storage, time);
        await h.DeliverAsync(LargeHistoryChunk(chats: 3, messagesPerChat: 40, textLength: 10)); // 243 Messages rows: three batches to delete
        await h.DeliverAsync(Contacts(ContactAdd(Ann, "Ann A", "Ann", "1700000000")));
        var erasure = h.Get<NumberErasure>();

        time.Now = FixedTime.Default.AddMinutes(5);
        armed = true;
        await Assert.ThrowsAnyAsync<Exception>(() => erasure.RunAsync(Number, "ops", default));
        armed = false;

        var stopped = await RecordAsync(storage);
        Assert.Equal(NumbersTable.Erasing, stopped.GetString(NumbersTable.Columns.State));
        var half = await StorageInspection.CountRowsForAsync(storage, Number);
        Assert.InRange(half, 100, 243);
        // Meanwhile a change received before the erasure began is dropped: the record is written first.
        time.Now = FixedTime.Default.AddMinutes(4);
        Assert.True((await h.DeliverAsync(Inbound("wamid.late", Bob, 1_700_000_000, "late"))).Single().Dropped);

        time.Now = FixedTime.Default.AddMinutes(7);
        var resumed = await erasure.RunAsync(Number, "someone else", default);

        Assert.True(resumed.Resumed);
        Assert.Equal(ErasureOutcome.Erased, resumed.Outcome);
        var record = await RecordAsync(storage);
        Assert.Equal(NumbersTable.Erased, record.GetString(NumbersTable.Columns.State));
        Assert.Equal(FixedTime.Default.AddMinutes(5), record.GetDateTimeOffset(NumbersTable.Columns.ErasedAt));
        Assert.Equal("ops", record.GetString(NumbersTable.Columns.ErasedBy));
        Assert.Equal(1, await StorageInspection.CountRowsForAsync(storage, Number));
        Assert.Equal(0, await StorageInspection.CountArchivedBodiesForAsync(storage, Number));
        Assert.True(resumed.Counts.Messages >= 243 - 100, ViewJson.Serialize(resumed.Counts));
    }

    [Fact]
    public async Task A_change_received_before_the_erasure_and_processed_after_it_writes_nothing_and_one_received_after_is_processed()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await PipelineHarness.CreateAsync(time);
        await h.DeliverAsync(EchoTo(Ann, "wamid.e1", 1_700_000_100, "hello"));
        // Accepted before the erasure; its queue message is somewhere the erasure cannot reach (in flight, on Service Bus).
        await h.Intake.ReceiveAsync(EchoTo(Bob, "wamid.late", 1_700_000_200, "late"), default);
        var late = await TakeQueuedAsync(h.Storage, h.Storage.Names.EchoesQueue);

        time.Now = FixedTime.Default.AddMinutes(5);
        await h.Get<NumberErasure>().RunAsync(Number, "ops", default);
        time.Now = FixedTime.Default.AddMinutes(6);
        var result = await h.Consumer.ConsumeAsync(WebhookKind.MessageEchoes, late, default);

        Assert.Equal((ProcessingOutcome.Processed, true, 0), (result.Outcome, result.Dropped, result.Messages));
        Assert.Equal(1, await StorageInspection.CountRowsForAsync(h.Storage, Number));
        Assert.Equal(0, await StorageInspection.CountQueuedAsync(h.Storage, StorageNames.PoisonQueueOf(h.Storage.Names.EchoesQueue)));

        // A webhook first received after the erasure is the business's new data: processed as usual.
        var fresh = Assert.Single(await h.DeliverAsync(EchoTo(Bob, "wamid.new", 1_700_000_300, "new")));
        Assert.Equal((false, 1), (fresh.Dropped, fresh.Messages));
        Assert.NotNull(await h.Queries.GetMessageAsync(Number, "wamid.new", default));
    }

    [Fact]
    public async Task Reingest_after_the_erasure_brings_nothing_back_even_from_a_restored_blob()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await PipelineHarness.CreateAsync(time);
        var body = EchoTo(Ann, "wamid.e1", 1_700_000_100, "hello");
        await h.DeliverAsync(body);
        var archived = await BlobsAsync(h.Storage, Number + "/");
        var (name, bytes) = Assert.Single(archived);

        time.Now = FixedTime.Default.AddMinutes(5);
        await h.Get<NumberErasure>().RunAsync(Number, "ops", default);
        var day = DateOnly.FromDateTime(FixedTime.Default.UtcDateTime);
        var nothing = await h.Get<Reingestion>().RunAsync(Number, day, day, drain: true, progress: null, default);
        Assert.Empty(nothing.Bodies);

        // The body comes back into the archive (undeleted from soft delete, or archived again by a provider's redelivery).
        await h.Storage.Container(h.Storage.Names.RawArchiveContainer).GetBlobClient(name).UploadAsync(BinaryData.FromBytes(bytes),
            new Azure.Storage.Blobs.Models.BlobUploadOptions
                { Metadata = new Dictionary<string, string> { [RawArchive.ReceivedAtMetadata] = RawArchive.FormatReceivedAt(FixedTime.Default) } });
        var again = await h.Get<Reingestion>().RunAsync(Number, day, day, drain: true, progress: null, default);

        Assert.Single(again.Bodies);
        Assert.All(again.Results, r => Assert.True(r.Dropped));
        Assert.Equal(1, await StorageInspection.CountRowsForAsync(h.Storage, Number));
    }

    [Fact]
    public async Task Erase_of_a_number_nothing_is_stored_of_is_unknown_and_writes_no_record()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(EchoTo(Ann, "wamid.o1", 1_700_000_100, "other", number: Other));

        var result = await h.Get<NumberErasure>().RunAsync(Number, "ops", default);

        Assert.Equal(ErasureOutcome.UnknownNumber, result.Outcome);
        Assert.Equal(0, await StorageInspection.CountRowsForAsync(h.Storage, Number));
        Assert.Equal(ErasureOutcome.UnknownNumber, (await h.Get<NumberErasure>().PlanAsync(Number, default)).Outcome);
    }
}
