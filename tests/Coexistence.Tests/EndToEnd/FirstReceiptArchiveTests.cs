using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// The door asks the Webhooks registry for a body's first receipt and uploads the archive at the same time,
/// guessing the body is new. Whatever happens (duplicates on the same or a later day, concurrent deliveries,
/// the archive or the registry failing, re-ingestion), the body ends up archived once per number, under the
/// first receipt's day, with <c>receivedAt</c> metadata equal to the first receipt, and every queue message
/// carries that time and that blob.
/// </summary>
public class FirstReceiptArchiveTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 15, 30, 250, TimeSpan.Zero);

    private static byte[] Body(string text = "first receipt") => Echo(EchoText("wamid.first/1", "15551234567", 1_700_000_000, text));

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_duplicate_later_the_same_day_keeps_the_first_receipt_in_the_archive_and_in_its_queue_message()
    {
        var clock = new ManualTime(Monday);
        var h = await PipelineHarness.CreateAsync(clock);
        var body = Body();

        var first = await h.Intake.ReceiveAsync(body, default);
        clock.Now = Monday.AddHours(5);
        // Queued again (as re-ingestion does): its queue message must say the first receipt, too.
        var second = await h.Intake.ReceiveAsync(body, receivedAt: null, default, requeueKnownBodies: true);

        Assert.Equal((IntakeOutcome.Accepted, IntakeOutcome.Accepted), (first.Outcome, second.Outcome));
        var archived = Assert.Single(await ArchivedAsync(h.Storage));
        Assert.Equal($"{PhoneNumberId}/{Day(Monday)}/{first.WebhookId}.json", archived.Name);
        Assert.Equal(Monday, RawArchive.ReceivedAtOf(archived.Metadata));
        Assert.Equal(Monday, await RegisteredAsync(h.Storage, first.WebhookId!));
        var messages = await QueuedChanges.PeekAsync(h.Storage, h.Storage.Names.EchoesQueue);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal((Monday, archived.Name), (m.ReceivedAt, m.ArchiveBlob)));
    }

    [Fact]
    public async Task A_duplicate_on_a_later_day_is_filed_under_the_first_day_and_its_speculative_copy_is_deleted()
    {
        var clock = new ManualTime(Monday);
        var h = await PipelineHarness.CreateAsync(clock);
        var body = Body();

        var first = await h.Intake.ReceiveAsync(body, default);
        var thursday = Monday.AddDays(3).AddHours(2);
        clock.Now = thursday;
        var retry = await h.Intake.ReceiveAsync(body, default);

        Assert.Equal(IntakeOutcome.Accepted, retry.Outcome);
        var archived = Assert.Single(await ArchivedAsync(h.Storage));
        Assert.Equal($"{PhoneNumberId}/{Day(Monday)}/{first.WebhookId}.json", archived.Name);
        Assert.Equal(Monday, RawArchive.ReceivedAtOf(archived.Metadata));
        Assert.Equal(Encoding.UTF8.GetString(body), (await h.Archive.ReadAsync(archived.Name, default)).ToString());
        Assert.All(await QueuedChanges.PeekAsync(h.Storage, h.Storage.Names.EchoesQueue), m => Assert.Equal((Monday, archived.Name), (m.ReceivedAt, m.ArchiveBlob)));
    }

    [Fact]
    public async Task A_multi_number_duplicate_on_a_later_day_keeps_one_copy_per_number_under_the_first_day()
    {
        var clock = new ManualTime(Monday);
        var h = await PipelineHarness.CreateAsync(clock);
        var body = Fixtures.Bytes("meta-batch-two-numbers.json");

        var first = await h.Intake.ReceiveAsync(body, default);
        clock.Now = Monday.AddDays(1);
        await h.Intake.ReceiveAsync(body, default);

        var archived = await ArchivedAsync(h.Storage);
        var numbers = first.Changes.Select(c => c.PhoneNumberId ?? RawArchive.UnroutedFolder).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(numbers.Count >= 2, "the fixture names two numbers");
        Assert.Equal(numbers.Select(n => $"{n}/{Day(Monday)}/{first.WebhookId}.json"), archived.Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.All(archived, b => Assert.Equal(Monday, RawArchive.ReceivedAtOf(b.Metadata)));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_body_around_midnight_agree_on_one_first_receipt_and_one_copy()
    {
        // Each delivery reads the clock once; eight deliveries 3 ms apart straddle midnight.
        var clock = new SteppingTime(new DateTimeOffset(2026, 11, 23, 23, 59, 59, 990, TimeSpan.Zero), TimeSpan.FromMilliseconds(3));
        var h = await PipelineHarness.CreateAsync(clock);
        var body = Body("concurrent");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => h.Intake.ReceiveAsync(body, default))));

        Assert.All(results, r => Assert.Equal(IntakeOutcome.Accepted, r.Outcome));
        var firstReceipt = Assert.NotNull(await RegisteredAsync(h.Storage, results[0].WebhookId!));
        var archived = Assert.Single(await ArchivedAsync(h.Storage));
        Assert.Equal($"{PhoneNumberId}/{Day(firstReceipt)}/{results[0].WebhookId}.json", archived.Name);
        Assert.Equal(firstReceipt, RawArchive.ReceivedAtOf(archived.Metadata));
        // Every delivery that did not find the registry's "all queued" mark queued its change; the others were duplicates.
        var messages = await QueuedChanges.PeekAsync(h.Storage, h.Storage.Names.EchoesQueue);
        Assert.Equal(results.Count(r => !r.Duplicate), messages.Count);
        Assert.InRange(messages.Count, 1, 8);
        Assert.All(messages, m => Assert.Equal((firstReceipt, archived.Name), (m.ReceivedAt, m.ArchiveBlob)));
    }

    [Theory]
    [InlineData(0)] // the retry comes later the same day
    [InlineData(2)] // or two days later
    public async Task When_the_archive_fails_after_the_registry_recorded_the_receipt_the_retry_archives_with_the_recorded_time(int daysLater)
    {
        var (storage, clock, pipeline, body) = await FirstDeliveryFailsAsync("-raw-webhooks/");

        Assert.Empty(await ArchivedAsync(storage));
        var webhookId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        Assert.Equal(Monday, await RegisteredAsync(storage, webhookId));

        clock.Now = Monday.AddDays(daysLater).AddHours(3);
        var retry = await pipeline.Intake.ReceiveAsync(body, default);

        Assert.Equal(IntakeOutcome.Accepted, retry.Outcome);
        var archived = Assert.Single(await ArchivedAsync(storage));
        Assert.Equal($"{PhoneNumberId}/{Day(Monday)}/{webhookId}.json", archived.Name);
        Assert.Equal(Monday, RawArchive.ReceivedAtOf(archived.Metadata));
        var queued = Assert.Single(await QueuedChanges.PeekAsync(storage, storage.Names.EchoesQueue));
        Assert.Equal((Monday, archived.Name), (queued.ReceivedAt, queued.ArchiveBlob));
    }

    [Fact]
    public async Task When_the_registry_fails_nothing_is_queued_and_the_retry_makes_the_archive_agree_with_the_registry()
    {
        var (storage, clock, pipeline, body) = await FirstDeliveryFailsAsync("Webhooks");

        // The speculative upload went through; nothing refers to it yet.
        Assert.Equal(Monday, RawArchive.ReceivedAtOf(Assert.Single(await ArchivedAsync(storage)).Metadata));

        var later = Monday.AddHours(4);
        clock.Now = later;
        var retry = await pipeline.Intake.ReceiveAsync(body, default);

        // The registry's first receipt is the retry's (the failed attempt recorded none), and the archive says the same.
        Assert.Equal(IntakeOutcome.Accepted, retry.Outcome);
        Assert.Equal(later, await RegisteredAsync(storage, retry.WebhookId!));
        var archived = Assert.Single(await ArchivedAsync(storage));
        Assert.Equal(later, RawArchive.ReceivedAtOf(archived.Metadata));
        var queued = Assert.Single(await QueuedChanges.PeekAsync(storage, storage.Names.EchoesQueue));
        Assert.Equal((later, archived.Name), (queued.ReceivedAt, queued.ArchiveBlob));
    }

    [Fact]
    public async Task Re_ingestion_files_bodies_under_their_first_receipt_whether_the_registry_still_knows_them_or_not()
    {
        var clock = new ManualTime(Monday);
        var h = await PipelineHarness.CreateAsync(clock);
        var bodies = new[] { Body("one"), Body("two"), Contacts(ContactAdd("15551234567", "Ann", "Ann", "1700000000")) };
        foreach (var body in bodies)
        {
            await h.DeliverAsync(body);
            clock.Now = clock.Now.AddMinutes(7);
        }
        var before = (await ArchivedAsync(h.Storage)).Select(b => (b.Name, RawArchive.ReceivedAtOf(b.Metadata))).ToList();
        clock.Now = Monday.AddDays(10);
        var reingestion = h.Get<Reingestion>();
        var day = DateOnly.FromDateTime(Monday.UtcDateTime);

        // With the registry: nothing moves.
        var again = await reingestion.RunAsync(PhoneNumberId, day, day, drain: true, progress: null, default);
        Assert.Equal(3, again.Accepted);
        Assert.Equal(before, (await ArchivedAsync(h.Storage)).Select(b => (b.Name, RawArchive.ReceivedAtOf(b.Metadata))));

        // Without it (rows lost): the archive's receivedAt is the first receipt again, for the registry and the blobs alike.
        var webhooks = h.Storage.Table(h.Storage.Names.WebhooksTable);
        await foreach (var row in webhooks.QueryAsync<TableEntity>()) await webhooks.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        var rebuilt = await reingestion.RunAsync(PhoneNumberId, day, day, drain: true, progress: null, default);

        Assert.Equal(3, rebuilt.Accepted);
        Assert.Equal(0, rebuilt.Poisoned);
        var after = (await ArchivedAsync(h.Storage)).Select(b => (b.Name, RawArchive.ReceivedAtOf(b.Metadata))).ToList();
        Assert.Equal(before, after);
        foreach (var (name, receivedAt) in after)
            Assert.Equal(receivedAt, await RegisteredAsync(h.Storage, Path.GetFileNameWithoutExtension(name)));
        Assert.Equal([Monday, Monday.AddMinutes(7), Monday.AddMinutes(14)], after.Select(a => a.Item2!.Value).Order());
    }

    /// <summary>A clock that moves on by a fixed step each time it is read.</summary>
    private sealed class SteppingTime(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private long reads = -1;
        public override DateTimeOffset GetUtcNow() => start + step * Interlocked.Increment(ref reads);
    }

    /// <summary>
    /// A pipeline at <see cref="Monday"/> whose first delivery of <see cref="Body"/> meets a 500 on every request whose
    /// path contains <paramref name="failingPath"/>: it must be answered Unavailable and queue nothing. Faults are off afterwards.
    /// </summary>
    private static async Task<(StorageClients Storage, ManualTime Clock, PipelineHarness PipelineHarness, byte[] Body)> FirstDeliveryFailsAsync(string failingPath)
    {
        var policy = new FaultInjectionPolicy((m, _) => m.Request.Uri.Path.Contains(failingPath, StringComparison.Ordinal) ? Fault.ServerError : null);
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        var clock = new ManualTime(Monday);
        var pipeline = PipelineHarness.On(storage, time: clock);
        var body = Body();

        var failed = await pipeline.Intake.ReceiveAsync(body, default);
        policy.Enabled = false;
        Assert.Equal(IntakeOutcome.Unavailable, failed.Outcome);
        Assert.Empty(await QueuedChanges.PeekAsync(storage, storage.Names.EchoesQueue));
        return (storage, clock, pipeline, body);
    }

    private static async Task<List<BlobItem>> ArchivedAsync(StorageClients storage)
    {
        var blobs = new List<BlobItem>();
        await foreach (var blob in storage.Container(storage.Names.RawArchiveContainer).GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, null, default))
            blobs.Add(blob);
        return blobs;
    }

    private static async Task<DateTimeOffset?> RegisteredAsync(StorageClients storage, string webhookId)
    {
        var row = await storage.Table(storage.Names.WebhooksTable).GetEntityIfExistsAsync<TableEntity>(webhookId[..2], webhookId);
        return row.HasValue ? row.Value!.GetDateTimeOffset("FirstReceivedAt") : null;
    }
}
