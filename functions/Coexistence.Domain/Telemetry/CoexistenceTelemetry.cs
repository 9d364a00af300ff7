using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Coexistence.Telemetry;

/// <summary>
/// The pipeline's traces and metrics, one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named <c>Coexistence</c>. They cost nothing until something listens (OpenTelemetry in the Function
/// App when Application Insights is configured; the in-memory exporter in tests).
/// Privacy: tags carry ids, kinds, outcomes, reason codes and counts; <c>phone_number_id</c> (the
/// business's id) is allowed; customer numbers and message text never are (docs/operations.md).
/// </summary>
public static class CoexistenceTelemetry
{
    public const string Name = "Coexistence";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    // Tag names (OpenTelemetry style: lower case, dotted namespace).
    public const string KindTag = "coexistence.kind";
    public const string OutcomeTag = "coexistence.outcome";
    public const string ReasonTag = "coexistence.reason";
    public const string PhoneNumberIdTag = "coexistence.phone_number_id";
    public const string WebhookIdTag = "coexistence.webhook_id";
    public const string ChangeIdTag = "coexistence.change_id";
    public const string EventIdTag = "coexistence.event_id";
    /// <summary>What an erasure covered: <c>number</c> or <c>customer</c>.</summary>
    public const string ErasureTag = "coexistence.erasure";
    /// <summary>A lifecycle event's name: one Meta documents, else <c>other</c> (the sender chooses it).</summary>
    public const string LifecycleEventTag = "coexistence.lifecycle_event";

    /// <summary>Webhook bodies at the door, by outcome (accepted, rejected, unavailable), reason (problem code, <c>none</c>) and kind.</summary>
    public static readonly Counter<long> Webhooks = Meter.CreateCounter<long>("coexistence.webhooks", "{webhook}",
        "Webhook bodies received at the door, by outcome, reason code and kind.");

    /// <summary>Changes put on a queue, by kind and whether the value travelled as a claim check.</summary>
    public static readonly Counter<long> ChangesQueued = Meter.CreateCounter<long>("coexistence.changes.queued", "{change}",
        "Changes put on a queue by the door, by kind.");

    public static readonly Counter<long> ClaimChecks = Meter.CreateCounter<long>("coexistence.claim_checks", "{payload}",
        "Change values sent as a byte range of the raw archive blob (the claim check) because the queue message would be too large.");

    public static readonly Histogram<long> ClaimCheckSize = Meter.CreateHistogram<long>("coexistence.claim_check.size", "By",
        "Size of the claim-checked change values.");

    /// <summary>Queue messages handled by the consumers, by kind and outcome (processed, rejected) and reason for rejections.</summary>
    public static readonly Counter<long> ChangesProcessed = Meter.CreateCounter<long>("coexistence.changes.processed", "{change}",
        "Queue messages handled by the consumers, by kind and outcome.");

    public static readonly Counter<long> MessagesWritten = Meter.CreateCounter<long>("coexistence.messages.written", "{message}",
        "Messages written (history chunk messages, echoes, inbound messages), by kind.");

    public static readonly Counter<long> FactsReceived = Meter.CreateCounter<long>("coexistence.facts.received", "{fact}",
        "Facts about messages received (edits, revokes, media follow-ups), by kind; each applies now or when its message arrives.");

    public static readonly Counter<long> StatusesReceived = Meter.CreateCounter<long>("coexistence.statuses.received", "{status}",
        "Statuses of messages the business sent (sent, delivered, read, failed), by kind; each is recorded whether or not its message is stored.");

    public static readonly Counter<long> ContactsWritten = Meter.CreateCounter<long>("coexistence.contacts.written", "{contact}",
        "Contact actions (adds, edits, removes) applied.");

    public static readonly Counter<long> ItemsQuarantined = Meter.CreateCounter<long>("coexistence.items.quarantined", "{item}",
        "Single items set aside in the Quarantine table, by kind.");

    public static readonly Counter<long> MediaJobsQueued = Meter.CreateCounter<long>("coexistence.media.jobs.queued", "{job}",
        "Media jobs queued after their messages were written (docs/media.md).");

    public static readonly Counter<long> MediaJobsDone = Meter.CreateCounter<long>("coexistence.media.jobs", "{job}",
        "Media jobs run, by outcome (archived, already-archived, expired, failed, retried, throttled, unreadable, disabled, erased; docs/media.md).");

    /// <summary>Changes of webhooks received before an erasure: dropped whole (the number's) or with items left out (a customer's).</summary>
    public static readonly Counter<long> ChangesErased = Meter.CreateCounter<long>("coexistence.changes.erased", "{change}",
        "Changes processed after an erasure that covered them: dropped (number) or with the erased customers' items left out (customer), by kind.");

    /// <summary>Lifecycle events attributed to a number; the removal/offboarding alert reads it.</summary>
    public static readonly Counter<long> LifecycleEvents = Meter.CreateCounter<long>("coexistence.lifecycle.events", "{event}",
        "Account events attributed to a business number, by phone_number_id, event and disconnection reason.");

    public static readonly Counter<long> HistoryChunks = Meter.CreateCounter<long>("coexistence.history.chunks", "{chunk}",
        "History chunks recorded, by phone_number_id.");

    /// <summary>The progress (0-100) a history chunk reports, per business number; the stalled-sync alert reads it.</summary>
    public static readonly Gauge<long> HistoryProgress = Meter.CreateGauge<long>("coexistence.history.progress", "%",
        "History sync progress reported by the last chunk, per phone_number_id.");

    /// <summary>From the door's receipt (the queue message's receivedAt) to the change's rows written.</summary>
    public static readonly Histogram<double> FanOutLatency = Meter.CreateHistogram<double>("coexistence.fanout.latency", "s",
        "Time from the webhook's receipt at the door to its rows in the tables, by kind.");

    /// <summary>The W3C traceparent of the current activity, for a queue message; null when nothing records traces.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : null;

    /// <summary>The parent a consumer continues from: the door's trace, when the queue message carries a valid traceparent.</summary>
    public static ActivityContext ParentFrom(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
