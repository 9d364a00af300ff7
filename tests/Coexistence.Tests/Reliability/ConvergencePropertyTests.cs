using Coexistence.Tests.Support;
using CsCheck;

namespace Coexistence.Tests.Reliability;

/// <summary>
/// Model-based: generated business streams, delivered to the real handlers on Azurite in random
/// orders with random duplicates, must always end in the state the reference model computes, and
/// every order of the same stream in the very same rows. One CI run tries <see cref="Streams"/>
/// streams x <see cref="OrdersPerStream"/> orders (COEXISTENCE_MODEL_STREAMS / _ORDERS for a soak).
/// </summary>
public class ConvergencePropertyTests
{
    public static long Streams => long.TryParse(Environment.GetEnvironmentVariable("COEXISTENCE_MODEL_STREAMS"), out var n) ? n : 12;
    public static int OrdersPerStream => int.TryParse(Environment.GetEnvironmentVariable("COEXISTENCE_MODEL_ORDERS"), out var n) ? n : 3;

    [Fact]
    public async Task Any_order_with_any_duplicates_ends_in_the_reference_models_state()
    {
        var tried = 0;
        await Gen.Select(BusinessStream.Gen, Gen.Int[0, int.MaxValue]).SampleAsync(async (stream, orderSeed) =>
        {
            tried++;
            var expected = stream.Expect(FixedTime.Default);
            IReadOnlyList<string>? firstDump = null;
            for (var o = 0; o < OrdersPerStream; o++)
            {
                var rng = new Random(orderSeed + o);
                // Every event at least once, some twice or three times, each in a random envelope, all shuffled.
                var deliveries = stream.Events.SelectMany(e => Enumerable.Repeat(e, 1 + (rng.Next(4) == 0 ? rng.Next(1, 3) : 0)))
                    .Select(e => BusinessStream.Body(e, meta: rng.Next(2) == 0))
                    .OrderBy(_ => rng.Next()).ToList();
                var h = await PipelineHarness.CreateAsync();
                foreach (var body in deliveries) await h.DeliverAsync(body);

                await AssertMatchesAsync(h, expected);
                // Rows, not only views: the same stream in another order leaves exactly the same table contents
                // (apart from the envelope, which differs per delivery and is recorded in WebhookId).
                var dump = (await TableDump.DumpAsync(h.Storage)).Select(l => System.Text.RegularExpressions.Regex.Replace(l, "WebhookId=\\w+", "")).ToList();
                if (firstDump is null) firstDump = dump;
                else Assert.Equal(firstDump, dump);
            }
        }, iter: Streams, threads: 1, seed: Environment.GetEnvironmentVariable("COEXISTENCE_MODEL_SEED"));
        Assert.Equal(Streams, tried);
    }

    /// <summary>
    /// A customer erased after any order of deliveries (with duplicates) stays erased when every earlier body comes again, as a
    /// provider's late redelivery re-queued (the first receipt's time) and as a re-ingest of the (redacted) archive: the views
    /// are the model's of the stream without that customer.
    /// </summary>
    [Fact]
    public async Task A_customer_erased_after_any_order_stays_erased_through_redeliveries_and_reingest()
    {
        var tried = 0;
        await Gen.Select(BusinessStream.Gen, Gen.Int[0, int.MaxValue], Gen.Int[0, BusinessStream.ErasableCustomers.Length - 1]).SampleAsync(
            async (stream, orderSeed, who) =>
            {
                tried++;
                var customer = BusinessStream.ErasableCustomers[who];
                var expected = stream.Without(customer).Expect(FixedTime.Default);
                var rng = new Random(orderSeed);
                var deliveries = stream.Events.SelectMany(e => Enumerable.Repeat(e, 1 + (rng.Next(4) == 0 ? rng.Next(1, 3) : 0)))
                    .Select(e => BusinessStream.Body(e, meta: rng.Next(2) == 0))
                    .OrderBy(_ => rng.Next()).ToList();
                var time = new ManualTime(FixedTime.Default);
                var h = await PipelineHarness.CreateAsync(time);
                foreach (var body in deliveries) await h.DeliverAsync(body);

                time.Now = FixedTime.Default.AddMinutes(1);
                var erased = await h.Get<CustomerErasure>().RunAsync(BusinessStream.PhoneNumberId, customer, "model", default);
                Assert.Contains(erased.Outcome, new[] { ErasureOutcome.Erased, ErasureOutcome.UnknownCustomer });

                // Every earlier body again, in another order, re-queued with its first receipt's time; then the archive re-ingested.
                time.Now = FixedTime.Default.AddMinutes(2);
                var again = new IngestionRun(h.Intake, h.Drainer, h.Get<MediaQueueDrainer>(), h.Get<IntakeOptions>()) { RequeueKnownBodies = true };
                foreach (var body in deliveries.OrderBy(_ => rng.Next()))
                    Assert.Equal(IntakeOutcome.Accepted, (await again.ReceiveAsync(body, null, default)).Outcome);
                await again.FinishAsync(default);
                var day = DateOnly.FromDateTime(FixedTime.Default.UtcDateTime);
                await h.Get<Reingestion>().RunAsync(BusinessStream.PhoneNumberId, day, day, drain: true, progress: null, default);

                await AssertMatchesAsync(h, expected);
            }, iter: Streams, threads: 1, seed: Environment.GetEnvironmentVariable("COEXISTENCE_MODEL_SEED"));
        Assert.Equal(Streams, tried);
    }

    private static async Task AssertMatchesAsync(PipelineHarness h, BusinessStream.Expected expected)
    {
        var q = h.Queries;
        const string number = BusinessStream.PhoneNumberId;
        Assert.Equal(expected.Chats, await q.GetChatsAsync(number, default));
        foreach (var (chat, messages) in expected.Messages)
            Assert.Equal(messages, await q.GetMessagesAsync(number, chat, default));
        Assert.Equal(expected.Contacts, await q.GetContactsAsync(number, default));
        Assert.Equal(ViewJson.Serialize(expected.History), ViewJson.Serialize(await q.GetHistoryStatusAsync(number, default)));
        foreach (var (id, (stored, delivery)) in expected.Statuses)
        {
            var statuses = await q.GetStatusesAsync(number, id, default);
            Assert.NotNull(statuses);
            Assert.Equal((stored, delivery), (statuses.MessageStored, statuses.Delivery));
        }
        var events = await h.Get<NumberRegistry>().EventsAsync(number, default);
        Assert.Equal(expected.NumberEvents, events.Select(e => (e.Event.Event, e.Event.Reason, e.Event.InitiatedBy, e.Event.PhoneNumber, e.Event.OccurredAt))
            .OrderBy(l => l.OccurredAt).ThenBy(l => $"{l.Event}|{l.Reason}|{l.InitiatedBy}|{l.PhoneNumber}", StringComparer.Ordinal).ToList());
        var registered = await h.Get<NumberRegistry>().GetAsync(number, default);
        Assert.Equal((WebhookBuilder.WabaId, BusinessStream.Business), (registered?.WabaId, registered?.DisplayPhoneNumber));
    }
}
