using System.Diagnostics;
using Coexistence.Telemetry;
using Coexistence.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Coexistence.Tests.Telemetry;

/// <summary>The Coexistence meter and activity source are process-wide: these tests run alone so that other tests' webhooks do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}

/// <summary>
/// The instruments of docs/operations.md, read through OpenTelemetry's in-memory exporter: an ingest of
/// fixtures produces the expected metric values and one trace per webhook, from the door to each consumer.
/// </summary>
[Collection(TelemetryCollection.Name)]
public class TelemetryTests
{
    private static readonly string[] Bodies =
    [
        "partner-contacts-initial-dump.json",
        "meta-echo-text.json",
        "meta-echo-image.json",
        "partner-history-phase0-chunk1.json",
        "partner-history-phase2-chunk4-final.json",
        "meta-echoes-with-bad-items.json",
    ];

    private static readonly HashSet<string> AllowedTags =
    [
        CoexistenceTelemetry.KindTag, CoexistenceTelemetry.OutcomeTag, CoexistenceTelemetry.ReasonTag, CoexistenceTelemetry.PhoneNumberIdTag,
        CoexistenceTelemetry.WebhookIdTag, CoexistenceTelemetry.ChangeIdTag, CoexistenceTelemetry.EventIdTag, "coexistence.claim_checked",
        CoexistenceTelemetry.LifecycleEventTag,
        "coexistence.messages", "coexistence.statuses", "coexistence.contacts", "coexistence.quarantined", "http.response.status_code",
    ];

    [Fact]
    public async Task An_ingest_produces_the_expected_metrics_and_one_linked_trace_per_webhook()
    {
        var activities = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(CoexistenceTelemetry.Name).AddInMemoryExporter(activities).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(CoexistenceTelemetry.Name).AddInMemoryExporter(metrics).Build();

        var door = await DoorHarness.CreateAsync();
        var webhookIds = new List<string>();
        foreach (var name in Bodies)
        {
            var response = await door.PostAsync(Fixtures.Bytes(name));
            Assert.Equal(202, response.Status);
            webhookIds.Add(System.Text.Json.JsonDocument.Parse(response.Body).RootElement.GetProperty("webhookId").GetString()!);
        }
        Assert.Equal(400, (await door.PostAsync(Fixtures.Bytes("malformed/not-json.json"))).Status);
        var results = await door.Pipeline.Drainer.DrainAsync(CancellationToken.None);
        tracing.ForceFlush();
        metering.ForceFlush();

        // Metrics: door outcomes, and the consumers' counts equal what the processing results say.
        Assert.Equal(Bodies.Length, Sum(metrics, "coexistence.webhooks", ("coexistence.outcome", "accepted")));
        Assert.Equal(1, Sum(metrics, "coexistence.webhooks", ("coexistence.outcome", "rejected"), ("coexistence.reason", "malformed-json")));
        Assert.Equal(results.Count, Sum(metrics, "coexistence.changes.queued"));
        Assert.Equal(results.Count, Sum(metrics, "coexistence.changes.processed", ("coexistence.outcome", "processed")));
        Assert.Equal(results.Sum(r => r.Messages), Sum(metrics, "coexistence.messages.written"));
        Assert.Equal(results.Where(r => r.Kind == Coexistence.Webhooks.WebhookKind.History).Sum(r => r.Messages),
            Sum(metrics, "coexistence.messages.written", ("coexistence.kind", "history")));
        Assert.Equal(results.Sum(r => r.Contacts), Sum(metrics, "coexistence.contacts.written"));
        Assert.Equal(results.Sum(r => r.Facts), Sum(metrics, "coexistence.facts.received"));
        Assert.Equal(results.Sum(r => r.Quarantined), Sum(metrics, "coexistence.items.quarantined"));
        Assert.True(results.Sum(r => r.Quarantined) > 0);
        Assert.Equal(results.Sum(r => r.Chunks), Sum(metrics, "coexistence.history.chunks"));
        Assert.Equal(results.Count, HistogramCount(metrics, "coexistence.fanout.latency"));
        var progress = Points(metrics, "coexistence.history.progress").ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.True(Tag(p, CoexistenceTelemetry.PhoneNumberIdTag) is string number && number.All(char.IsAsciiDigit)));
        Assert.Contains(progress, p => p.GetGaugeLastValueLong() == 100);

        // Traces: per webhook, the door, the intake, each enqueue and each consumer's processing share one trace id.
        foreach (var webhookId in webhookIds)
        {
            var intake = Assert.Single(activities, a => a.OperationName == "webhook intake" && Tag(a, CoexistenceTelemetry.WebhookIdTag) == webhookId);
            var doorSpan = activities.Single(a => a.OperationName == "webhook door" && a.SpanId == intake.ParentSpanId);
            Assert.Equal(default, doorSpan.ParentSpanId);
            var enqueues = activities.Where(a => a.OperationName == "change enqueue" && Tag(a, CoexistenceTelemetry.WebhookIdTag) == webhookId).ToList();
            var processing = activities.Where(a => a.OperationName == "change process" && Tag(a, CoexistenceTelemetry.WebhookIdTag) == webhookId).ToList();
            Assert.NotEmpty(enqueues);
            Assert.Equal(enqueues.Count, processing.Count);
            Assert.All(enqueues.Concat(processing), a => Assert.Equal(doorSpan.TraceId, a.TraceId));
            Assert.All(processing, p => Assert.Contains(enqueues, e => e.SpanId == p.ParentSpanId && e.Kind == ActivityKind.Producer));
            Assert.All(processing, p => Assert.Equal(ActivityKind.Consumer, p.Kind));
        }

        // Privacy: only the documented tags (ids, kinds, outcomes, counts); no customer number or text can hide in them.
        Assert.All(activities.SelectMany(a => a.TagObjects), tag => Assert.Contains(tag.Key, AllowedTags));
    }

    [Fact]
    public void The_traceparent_travels_in_the_queue_message_and_old_messages_read_as_before()
    {
        var message = new ChangeMessage
        {
            Kind = Coexistence.Webhooks.WebhookKind.History,
            PhoneNumberId = "1",
            DisplayPhoneNumber = "15550001111",
            WebhookId = "ab",
            ChangeIndex = 0,
            ReceivedAt = FixedTime.Default,
            ArchiveBlob = "a.json",
            Payload = "{}"u8.ToArray(),
        };
        var without = ChangeMessageFormat.Serialize(message);
        Assert.DoesNotContain("traceParent", System.Text.Encoding.UTF8.GetString(without));
        Assert.True(ChangeMessageFormat.TryParse(without, out var read, out _));
        Assert.Null(read!.TraceParent);

        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Assert.True(ChangeMessageFormat.TryParse(ChangeMessageFormat.Serialize(message with { TraceParent = traceParent }), out read, out _));
        Assert.Equal(traceParent, read!.TraceParent);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", CoexistenceTelemetry.ParentFrom(traceParent).TraceId.ToHexString());
        Assert.Equal(default, CoexistenceTelemetry.ParentFrom("garbage"));
    }

    [Fact]
    public async Task A_lifecycle_event_counts_once_per_number_with_bounded_names_however_often_it_is_delivered()
    {
        var metrics = new List<Metric>();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter(CoexistenceTelemetry.Name).AddInMemoryExporter(metrics).Build();
        const string Number = "990000000417"; // this test's own: other tests' metrics carry other numbers
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(WebhookBuilder.Meta("smb_message_echoes", """ "message_echoes":[] """, phoneNumberId: Number));
        byte[] Event(string name) => System.Text.Encoding.UTF8.GetBytes($$$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{{{WebhookBuilder.WabaId}}}}","time":1739321024,"changes":[{"field":"account_update",
             "value":{"event":"{{{{name}}}}","disconnection_info":{"reason":"PRIMARY_INACTIVITY","initiated_by":"SYSTEM"}}}]}]}
            """);
        await h.DeliverAsync(Event("PARTNER_REMOVED"));
        // The same body queued again (as re-ingestion does), and an event name nobody documented.
        await h.Intake.ReceiveAsync(Event("PARTNER_REMOVED"), receivedAt: null, CancellationToken.None, requeueKnownBodies: true);
        await h.Drainer.DrainAsync(CancellationToken.None);
        await h.DeliverAsync(Event("SOMETHING +1 5550001234"));
        metering.ForceFlush();

        var number = (CoexistenceTelemetry.PhoneNumberIdTag, Number);
        Assert.Equal(1, Sum(metrics, "coexistence.lifecycle.events", number, (CoexistenceTelemetry.LifecycleEventTag, "PARTNER_REMOVED"),
            (CoexistenceTelemetry.ReasonTag, "PRIMARY_INACTIVITY")));
        Assert.Equal(1, Sum(metrics, "coexistence.lifecycle.events", number, (CoexistenceTelemetry.LifecycleEventTag, "other")));
        Assert.Equal(2, Sum(metrics, "coexistence.lifecycle.events", number));
    }

    private static string? Tag(Activity activity, string key) => activity.GetTagItem(key) as string;

    private static object? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags) if (tag.Key == key) return tag.Value;
        return null;
    }

    private static IEnumerable<MetricPoint> Points(List<Metric> metrics, string name)
    {
        foreach (var metric in metrics.Where(m => m.Name == name))
            foreach (ref readonly var point in metric.GetMetricPoints())
                yield return point;
    }

    private static long Sum(List<Metric> metrics, string name, params (string Key, string Value)[] where) =>
        Points(metrics, name).Where(p => where.All(w => Equals(Tag(p, w.Key), w.Value))).Sum(p => p.GetSumLong());

    private static long HistogramCount(List<Metric> metrics, string name) => Points(metrics, name).Sum(p => p.GetHistogramCount());
}
