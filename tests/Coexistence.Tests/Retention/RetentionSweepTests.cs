using Azure.Data.Tables;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Retention.RetentionData;

namespace Coexistence.Tests.Retention;

/// <summary>
/// <see cref="RetentionSweep"/> against Azurite (docs/operations.md, "Retention"; docs/data-model.md, "Retention"): what goes,
/// what stays, whose days apply, and that every run, stopped or not, ends in the same rows.
/// </summary>
public class RetentionSweepTests
{
    private static string Chat(string number, string chat, long sentAt, string name) => MessagesTable.ChatRowKey(chat, sentAt, $"wamid.{number}.{name}");

    [Fact]
    public async Task Old_messages_go_with_their_index_facts_statuses_and_quarantine_rows_and_young_ones_stay()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: 30, archiveDays: 0);
        await SeedAsync(pipeline, time, A);
        var storage = pipeline.Storage;
        Assert.Equal(3, (await MessageKeysAsync(storage, A, "c|")).Count);

        var run = await pipeline.Get<RetentionSweep>().RunAsync(A, dryRun: false, CancellationToken.None);

        Assert.Equal(new NumberRetentionResult(A, null, 30, 0, Messages: 2, IndexRows: 2, Facts: 1, Statuses: 2, Quarantine: 1, Chats: 2, EmptiedChats: 1,
            Blobs: 0), Assert.Single(run.Numbers));
        Assert.Null(run.Unrouted);
        Assert.Equal([Chat(A, ChatX, YoungSentAt, "young1")], await MessageKeysAsync(storage, A, "c|"));
        Assert.Equal([MessagesTable.IndexRowKey($"wamid.{A}.young1")], await MessageKeysAsync(storage, A, "m|"));
        var pending = Assert.Single(await MessageKeysAsync(storage, A, "p|"));
        Assert.StartsWith($"p|wamid.{A}.never.young|", pending);
        var statuses = await MessageKeysAsync(storage, A, "d|");
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, s => Assert.Contains(".young", s));
        Assert.Empty(await MessageKeysAsync(storage, A, "r|"));
        var quarantined = Assert.Single(await RowKeysAsync(storage, storage.Names.QuarantineTable, A));
        Assert.Equal(ReceivedAtOf(storage, A, quarantined), Now);

        // The chat that kept a message is recounted; the emptied one is gone.
        var chat = Assert.Single(await pipeline.Queries.GetChatsAsync(A, CancellationToken.None));
        Assert.Equal((ChatX, 1L, YoungSentAt), (chat.ChatId, chat.MessageCount, chat.LastMessageAt));
        Assert.Equal([MessagesTable.SummaryRowKey(ChatX)], await MessageKeysAsync(storage, A, "s|"));

        // The address book stays; the archive is kept (archive days 0: forever).
        Assert.Single(await pipeline.Queries.GetContactsAsync(A, CancellationToken.None));
        Assert.Equal(OldBodies + 5, (await BlobsAsync(storage, A)).Count);
    }

    private static DateTimeOffset? ReceivedAtOf(StorageClients storage, string number, string rowKey) =>
        storage.Table(storage.Names.QuarantineTable).GetEntity<TableEntity>(number, rowKey).Value.GetDateTimeOffset("ReceivedAt");

    [Fact]
    public async Task Archive_day_folders_older_than_the_days_go_and_younger_ones_stay_and_unrouted_follows_the_settings()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: 0, archiveDays: 100);
        await SeedAsync(pipeline, time, A);
        var storage = pipeline.Storage;
        // Around the cut-off (the day 100 days before now: 2026-08-17): the day before goes, that day stays.
        var cutoffDay = Now.AddDays(-100);
        await StoreBlobAsync(pipeline, A, cutoffDay.AddDays(-1), "before");
        await StoreBlobAsync(pipeline, A, cutoffDay, "on");
        await StoreBlobAsync(pipeline, null, Old, "unrouted-old");
        await StoreBlobAsync(pipeline, null, Now, "unrouted-young");
        var rowsBefore = await TableDump.DumpAsync(storage);

        var run = await pipeline.Get<RetentionSweep>().RunAsync(null, dryRun: false, CancellationToken.None);

        Assert.Equal(OldBodies + 1, Assert.Single(run.Numbers).Blobs);
        Assert.Equal(new UnroutedRetentionResult(0, 100, 0, 1), run.Unrouted);
        var kept = await BlobsAsync(storage, A);
        Assert.Equal(6, kept.Count);
        Assert.Contains(RawArchive.BlobName(A, cutoffDay, "on"), kept);
        Assert.All(kept, name =>
            Assert.True(name.StartsWith($"{A}/2026/11/25/", StringComparison.Ordinal) || name.EndsWith("/on.json", StringComparison.Ordinal)));
        Assert.Equal([RawArchive.BlobName(null, Now, "unrouted-young")], await BlobsAsync(storage, RawArchive.UnroutedFolder));
        // Table days 0: every row stays.
        Assert.Equal(rowsBefore, await TableDump.DumpAsync(storage));
    }

    [Fact]
    public async Task A_numbers_own_days_beat_the_settings_and_the_other_numbers_data_is_untouched()
    {
        // Settings: keep everything. A says 30 days for its rows and 100 for its archive; B says nothing.
        var (pipeline, time) = await PipelineAsync(tableDays: 0, archiveDays: 0);
        await SeedAsync(pipeline, time, A);
        await SeedAsync(pipeline, time, B);
        var settings = pipeline.Get<RetentionSettings>();
        await settings.SetAsync(A, new RetentionChange(30), new RetentionChange(100), CancellationToken.None);
        var before = await EverythingOfAsync(pipeline.Storage, B);

        var run = await pipeline.Get<RetentionSweep>().RunAsync(null, dryRun: false, CancellationToken.None);

        Assert.Equal([A, B], run.Numbers.Select(n => n.PhoneNumberId));
        Assert.Equal((30, 100, 2, OldBodies), (run.Numbers[0].TableDays, run.Numbers[0].ArchiveDays, run.Numbers[0].Messages, run.Numbers[0].Blobs));
        Assert.Equal(new NumberRetentionResult(B, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), run.Numbers[1]);
        Assert.Equal(before, await EverythingOfAsync(pipeline.Storage, B));

        // The other way round: settings of 30 and 100 days, B keeps forever.
        var (strict, _) = await PipelineAsync(tableDays: 30, archiveDays: 100, storage: pipeline.Storage);
        await strict.Get<RetentionSettings>().SetAsync(B, RetentionChange.Forever, RetentionChange.Forever, CancellationToken.None);
        var bRegistry = await RowKeysAsync(pipeline.Storage, pipeline.Storage.Names.NumbersTable, B);
        before = await EverythingOfAsync(pipeline.Storage, B);
        run = await strict.Get<RetentionSweep>().RunAsync(B, dryRun: false, CancellationToken.None);
        Assert.Equal(new NumberRetentionResult(B, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Assert.Single(run.Numbers));
        Assert.Equal(before, await EverythingOfAsync(pipeline.Storage, B));
        Assert.Equal([NumbersTable.NumberRowKey], bRegistry);
    }

    [Fact]
    public async Task By_default_table_rows_stay_forever_and_the_archive_365_days()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: null, archiveDays: null);
        await SeedAsync(pipeline, time, A);
        var rows = await TableDump.DumpAsync(pipeline.Storage);
        var sweep = pipeline.Get<RetentionSweep>();

        var run = await sweep.RunAsync(null, dryRun: false, CancellationToken.None);
        Assert.Equal(new NumberRetentionResult(A, null, 0, 365, 0, 0, 0, 0, 0, 0, 0, 0), Assert.Single(run.Numbers));
        Assert.Equal(OldBodies + 5, (await BlobsAsync(pipeline.Storage, A)).Count);

        // 366 days after the old day: its folder goes; the rows still stay.
        time.Now = Old.AddDays(366);
        run = await sweep.RunAsync(null, dryRun: false, CancellationToken.None);
        Assert.Equal(OldBodies, Assert.Single(run.Numbers).Blobs);
        Assert.Equal(5, (await BlobsAsync(pipeline.Storage, A)).Count);
        Assert.Equal(rows, await TableDump.DumpAsync(pipeline.Storage));
    }

    [Fact]
    public async Task A_dry_run_counts_what_a_run_deletes_deleting_nothing_and_a_second_run_deletes_nothing()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: 30, archiveDays: 100);
        await SeedAsync(pipeline, time, A);
        await pipeline.Storage.Table(pipeline.Storage.Names.QuarantineTable).AddEntityAsync(new TableEntity(QuarantineTable.UnroutablePartition, "change|x")
        {
            [QuarantineTable.Columns.Reason] = "unreadable", [QuarantineTable.Columns.RecordedAt] = Old,
        });
        var everything = await EverythingOfAsync(pipeline.Storage, A);
        var sweep = pipeline.Get<RetentionSweep>();

        var dry = await sweep.RunAsync(null, dryRun: true, CancellationToken.None);
        Assert.True(dry.DryRun);
        Assert.Equal(everything, await EverythingOfAsync(pipeline.Storage, A));
        Assert.Single(await RowKeysAsync(pipeline.Storage, pipeline.Storage.Names.QuarantineTable, QuarantineTable.UnroutablePartition));

        var real = await sweep.RunAsync(null, dryRun: false, CancellationToken.None);
        Assert.False(real.DryRun);
        Assert.Equal(ViewJson.Serialize(dry with { DryRun = false }), ViewJson.Serialize(real));
        Assert.Equal(new NumberRetentionResult(A, null, 30, 100, 2, 2, 1, 2, 1, 2, 1, OldBodies), Assert.Single(real.Numbers));
        Assert.Equal(new UnroutedRetentionResult(30, 100, 1, 0), real.Unrouted);
        Assert.Empty(await RowKeysAsync(pipeline.Storage, pipeline.Storage.Names.QuarantineTable, QuarantineTable.UnroutablePartition));

        var after = await EverythingOfAsync(pipeline.Storage, A);
        var again = await sweep.RunAsync(null, dryRun: false, CancellationToken.None);
        Assert.Equal(new NumberRetentionResult(A, null, 30, 100, 0, 0, 0, 0, 0, 0, 0, 0), Assert.Single(again.Numbers));
        Assert.Equal(after, await EverythingOfAsync(pipeline.Storage, A));
    }

    [Fact]
    public async Task A_run_stopped_after_its_deletes_and_before_its_recounts_is_finished_by_the_next()
    {
        // Stopped at the first read of a summary (the recount), after every delete.
        var (pipeline, expected, rerun) = await StopThenRunAgainAsync(message =>
            Uri.UnescapeDataString(message.Request.Uri.ToString()).Contains("RowKey='s|", StringComparison.Ordinal), afterStop: async p =>
            {
                // The rows went, the summaries were not recounted yet (chat Y still listed), and the notes say which to recount.
                Assert.Equal([Chat(A, ChatX, YoungSentAt, "young1")], await MessageKeysAsync(p.Storage, A, "c|"));
                Assert.Equal([MessagesTable.RecountRowKey(ChatX), MessagesTable.RecountRowKey(ChatY)], await MessageKeysAsync(p.Storage, A, "r|"));
                Assert.Equal(2, (await p.Queries.GetChatsAsync(A, CancellationToken.None)).Count);
            });

        Assert.Equal(new NumberRetentionResult(A, null, 30, 100, 0, 0, 0, 0, 0, 2, 1, OldBodies), Assert.Single(rerun.Numbers));
        Assert.Equal(expected, await TableDump.DumpAsync(pipeline.Storage));
        Assert.Empty(await MessageKeysAsync(pipeline.Storage, A, "r|"));
    }

    [Fact]
    public async Task A_run_stopped_in_the_middle_of_its_deletes_is_finished_by_the_next()
    {
        // Stopped at the third transaction (the notes, the Quarantine rows, then the facts): the facts, statuses and messages stay.
        var batches = 0;
        var (pipeline, expected, rerun) = await StopThenRunAgainAsync(message =>
            FaultInjectionPolicy.IsTableBatch(message) && Interlocked.Increment(ref batches) == 3, afterStop: async p =>
            {
                Assert.Single(await RowKeysAsync(p.Storage, p.Storage.Names.QuarantineTable, A));
                Assert.Contains(await MessageKeysAsync(p.Storage, A, "p|"), k => k.Contains(".never.old", StringComparison.Ordinal));
                Assert.Equal(3, (await MessageKeysAsync(p.Storage, A, "c|")).Count);
                Assert.Equal(2, (await MessageKeysAsync(p.Storage, A, "r|")).Count);
            });

        Assert.Equal(new NumberRetentionResult(A, null, 30, 100, 2, 2, 1, 2, 0, 2, 1, OldBodies), Assert.Single(rerun.Numbers));
        Assert.Equal(expected, await TableDump.DumpAsync(pipeline.Storage));
    }

    /// <summary>
    /// Seeds A, runs retention until the first request <paramref name="stopAt"/> matches (cancelled there, never sent), checks
    /// what the stop left, and runs it again; with the dump of the same data swept in one go, for comparison.
    /// </summary>
    private static async Task<(PipelineHarness Pipeline, IReadOnlyList<string> Expected, RetentionRun Rerun)> StopThenRunAgainAsync(
        Func<Azure.Core.HttpMessage, bool> stopAt, Func<PipelineHarness, Task> afterStop)
    {
        var (reference, referenceTime) = await PipelineAsync();
        await SeedAsync(reference, referenceTime, A);
        await reference.Get<RetentionSweep>().RunAsync(A, dryRun: false, CancellationToken.None);
        var expected = await TableDump.DumpAsync(reference.Storage);

        using var stop = new CancellationTokenSource();
        var armed = false;
        var policy = new FaultInjectionPolicy((message, _) =>
        {
            if (!armed || !stopAt(message)) return null;
            armed = false;
            stop.Cancel();
            return Fault.Hang;
        });
        var (pipeline, time) = await PipelineAsync(storage: await FaultInjectionPolicy.StorageAsync(policy));
        policy.Enabled = false;
        await SeedAsync(pipeline, time, A);
        policy.Enabled = true;
        armed = true;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.Get<RetentionSweep>().RunAsync(A, dryRun: false, stop.Token));
        Assert.False(armed, "the run never reached the request it was to stop at");
        await afterStop(pipeline);

        var rerun = await pipeline.Get<RetentionSweep>().RunAsync(A, dryRun: false, CancellationToken.None);
        return (pipeline, expected, rerun);
    }

    [Fact]
    public async Task A_message_changed_since_it_was_read_is_left_for_the_next_run()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: 30, archiveDays: 0);
        await SeedAsync(pipeline, time, A);
        var storage = pipeline.Storage;
        var messages = storage.Table(storage.Names.MessagesTable);
        var rowKey = Chat(A, ChatX, OldSentAt, "old1");
        var read = (await messages.GetEntityAsync<TableEntity>(A, rowKey)).Value;

        // A writer changes the row between the sweep's read and its delete: the stale ETag keeps it, its index with it.
        var changed = await messages.UpdateEntityAsync(new TableEntity(A, rowKey) { ["Status"] = "READ" }, read.ETag, TableUpdateMode.Merge);
        Assert.NotEqual(read.ETag, changed.Headers.ETag);
        var alone = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => messages.DeleteEntityAsync(A, rowKey, read.ETag));
        Assert.Equal(412, alone.Status);
        var stale = await RetentionDeletes.DeleteAsync(messages, A,
            [[(rowKey, read.ETag), (MessagesTable.IndexRowKey($"wamid.{A}.old1"), Azure.ETag.All)], [("c|gone", Azure.ETag.All)]], 2, CancellationToken.None);
        Assert.Equal([0, 0], stale);
        Assert.Contains(rowKey, await MessageKeysAsync(storage, A, "c|"));
        Assert.Contains(MessagesTable.IndexRowKey($"wamid.{A}.old1"), await MessageKeysAsync(storage, A, "m|"));

        // The next run reads it again, and it goes.
        var run = await pipeline.Get<RetentionSweep>().RunAsync(A, dryRun: false, CancellationToken.None);
        Assert.Equal(2, Assert.Single(run.Numbers).Messages);
        Assert.DoesNotContain(rowKey, await MessageKeysAsync(storage, A, "c|"));
    }

    [Fact]
    public async Task An_emptied_chat_keeps_its_summary_when_superseded()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: 30, archiveDays: 0);
        await SeedAsync(pipeline, time, A);
        var messages = pipeline.Storage.Table(pipeline.Storage.Names.MessagesTable);
        // Chat Y's customer changed number: its summary is marked (as reconciliation does), then its messages age out.
        await messages.UpdateEntityAsync(new TableEntity(A, MessagesTable.SummaryRowKey(ChatY)) { [MessagesTable.Columns.Superseded] = true }, Azure.ETag.All,
            TableUpdateMode.Merge);

        var run = await pipeline.Get<RetentionSweep>().RunAsync(A, dryRun: false, CancellationToken.None);

        Assert.Equal((2, 1), (Assert.Single(run.Numbers).Chats, run.Numbers[0].EmptiedChats));
        var summary = ChatSummary.FromEntity((await messages.GetEntityAsync<TableEntity>(A, MessagesTable.SummaryRowKey(ChatY))).Value);
        Assert.Equal((0L, true), (summary.MessageCount, summary.Superseded));
        Assert.Equal([ChatX], (await pipeline.Queries.GetChatsAsync(A, CancellationToken.None)).Select(c => c.ChatId));
    }

    [Fact]
    public async Task An_erased_number_is_skipped()
    {
        var (pipeline, time) = await PipelineAsync(tableDays: 30, archiveDays: 100);
        await SeedAsync(pipeline, time, A);
        await pipeline.Storage.Table(pipeline.Storage.Names.NumbersTable).AddEntityAsync(new TableEntity(A, NumbersTable.NumberErasureRowKey));
        var before = await EverythingOfAsync(pipeline.Storage, A);

        var run = await pipeline.Get<RetentionSweep>().RunAsync(null, dryRun: false, CancellationToken.None);

        Assert.Equal(NumberRetentionResult.Erased(A), Assert.Single(run.Numbers));
        Assert.Equal(before, await EverythingOfAsync(pipeline.Storage, A));
    }

    [Fact]
    public async Task Overrides_are_merged_into_the_registry_row_and_default_removes_one()
    {
        var (pipeline, _) = await PipelineAsync(tableDays: 7, archiveDays: 100);
        var numbers = pipeline.Storage.Table(pipeline.Storage.Names.NumbersTable);
        await numbers.UpsertEntityAsync(new TableEntity(A, NumbersTable.NumberRowKey) { [NumbersTable.Columns.WabaId] = "WABA1" });
        var settings = pipeline.Get<RetentionSettings>();

        Assert.Equal(new NumberRetention(A, 7, null, 100, null, false), await settings.GetAsync(A, CancellationToken.None));
        Assert.Equal(new NumberRetention(A, 0, 0, 30, 30, false),
            await settings.SetAsync(A, RetentionChange.Forever, new RetentionChange(30), CancellationToken.None));
        Assert.Equal(new NumberRetention(A, 7, null, 30, 30, false), await settings.SetAsync(A, RetentionChange.Default, null, CancellationToken.None));
        var row = (await numbers.GetEntityAsync<TableEntity>(A, NumbersTable.NumberRowKey)).Value;
        Assert.Equal("WABA1", row.GetString(NumbersTable.Columns.WabaId));
        Assert.False(row.ContainsKey(NumbersTable.Columns.TableRetentionDays));
        Assert.Equal(30, row.GetInt32(NumbersTable.Columns.ArchiveRetentionDays));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => settings.SetAsync(A, new RetentionChange(-1), null, CancellationToken.None));

        // A value written by hand that is no number of days is ignored: the settings' days apply.
        await numbers.UpsertEntityAsync(new TableEntity(A, NumbersTable.NumberRowKey) { [NumbersTable.Columns.TableRetentionDays] = "ten" },
            TableUpdateMode.Merge);
        Assert.Equal(new NumberRetention(A, 7, null, 30, 30, false), await settings.GetAsync(A, CancellationToken.None));
    }

    [Theory]
    [InlineData("Retention:TableDays", "-1", "Retention:TableDays must be from 0 (keep forever) to 36500.")]
    [InlineData("Retention:ArchiveDays", "-5", "Retention:ArchiveDays must be from 0 (keep forever) to 36500.")]
    [InlineData("Retention:ArchiveDays", "40000", "Retention:ArchiveDays must be from 0 (keep forever) to 36500.")]
    [InlineData("Retention:Schedule", "daily", "Retention:Schedule must be an NCRONTAB expression")]
    public void Retention_settings_out_of_range_stop_the_app_at_start_up(string key, string value, string message) =>
        Assert.Contains(message, TestServices.SettingsError((key, value)));
}
