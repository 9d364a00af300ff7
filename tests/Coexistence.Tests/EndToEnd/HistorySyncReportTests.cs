using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// Issue 19, "a complete sync report", against Azurite: the status said "completed" as soon as any chunk reported progress
/// 100, even while other chunks were missing, and nothing reported gaps or which placeholders can still get their media.
/// </summary>
public class HistorySyncReportTests
{
    private const string Ada = "15551234567";

    private static byte[] Chunk(int phase, int order, int progress, string wamid, long timestamp = 1_690_000_000) =>
        HistoryChunk(phase, order, progress, Thread(Ada, Text(wamid, Ada, timestamp, $"text {wamid}")));

    [Fact]
    public async Task A_sync_that_reached_100_with_a_chunk_missing_is_completing_until_the_chunk_arrives()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([Chunk(0, 1, 10, "wamid.s/1"), Chunk(1, 2, 40, "wamid.s/2"), Chunk(2, 4, 100, "wamid.s/4")]);

        var completing = await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default);
        Assert.Equal(("completing", 100L, 3), (completing.State, completing.Progress, completing.Chunks));
        // No chunk order is in two phases: the orders count across the sync, so the gap's phase is unknown.
        Assert.Equal([new MissingChunkView(null, 3)], completing.MissingChunks);
        Assert.Equal([new HistoryPhaseView(0, 1, 1, 1), new HistoryPhaseView(1, 1, 2, 2), new HistoryPhaseView(2, 1, 4, 4)], completing.Phases);

        await h.DeliverAsync(Chunk(2, 3, 70, "wamid.s/3"));

        var completed = await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default);
        Assert.Equal(("completed", 4), (completed.State, completed.Chunks));
        Assert.Empty(completed.MissingChunks);
        Assert.Equal(new HistoryPhaseView(2, 2, 3, 4), completed.Phases[^1]);
    }

    [Fact]
    public async Task A_sync_left_completing_is_reported_as_stalled_like_one_left_in_progress()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([Chunk(0, 1, 10, "wamid.t/1"), Chunk(0, 3, 100, "wamid.t/3")]);
        var report = new SyncStatusReport(h.Storage, h.Get<HistorySyncStore>(), h.Get<NumberRegistry>(), new FixedTime(FixedTime.Default.AddHours(7)));

        var status = Assert.Single(await report.ListAsync(SyncStatusReport.DefaultStalledAfter, null, default));

        Assert.Equal(("completing", true), (status.History.State, status.Stalled));
        // The all-numbers report does not count placeholders (a query per number).
        Assert.Null(status.History.Placeholders);
    }

    [Fact]
    public async Task When_chunk_orders_count_per_phase_the_gaps_are_per_phase()
    {
        var h = await PipelineHarness.CreateAsync();
        // Order 1 in two phases: each phase counts from 1.
        await h.DeliverAllAsync([Chunk(0, 1, 20, "wamid.p/1"), Chunk(0, 2, 30, "wamid.p/2"), Chunk(1, 1, 60, "wamid.p/3"), Chunk(1, 3, 90, "wamid.p/4")]);

        var status = await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default);

        Assert.Equal("in_progress", status.State);
        Assert.Equal([new MissingChunkView(1, 2)], status.MissingChunks);
    }

    [Fact]
    public async Task Placeholders_are_counted_as_awaiting_media_when_recent_enough_for_a_follow_up_and_as_too_old_otherwise()
    {
        var h = await PipelineHarness.CreateAsync(); // the clock: FixedTime.Default, the time every chunk is received
        var now = FixedTime.Default.ToUnixTimeSeconds();
        var recent = now - 3 * 86_400;
        var old = now - 30 * 86_400;
        await h.DeliverAsync(HistoryChunk(0, 1, 100, Thread(Ada, Placeholder("wamid.m/recent", Ada, recent), Placeholder("wamid.m/old", Ada, old),
            Text("wamid.m/text", Ada, recent, "not media"))));

        var before = (await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default)).Placeholders;
        await h.DeliverAsync(MediaFollowUp("wamid.m/recent", Ada, recent));
        var after = (await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default)).Placeholders;

        Assert.Equal(new PlaceholdersView(1, 1), before);
        Assert.Equal(new PlaceholdersView(0, 1), after);
    }

    [Fact]
    public void Gaps_start_at_chunk_order_1_and_a_wild_order_is_not_taken_for_millions_of_missing_chunks()
    {
        Assert.Empty(HistoryChunkGap.Find([]));
        Assert.Equal([new HistoryChunkGap(null, 1)], HistoryChunkGap.Find([(0, 2)]));
        Assert.Equal([new HistoryChunkGap(null, 2)], HistoryChunkGap.Find([(0, 1), (0, 1), (1, 3)]));
        Assert.Equal(HistoryChunkGap.MaxReported - 1, HistoryChunkGap.Find([(0, 1), (0, long.MaxValue)]).Count);
    }
}
