using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Unicode;
using Azure;
using Coexistence.Archive;
using Coexistence.Changes;
using Coexistence.Http;
using Coexistence.Tables;
using Coexistence.Telemetry;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Intake;

/// <summary>
/// The intake: the door's work, independent of HTTP. Read the envelope, archive the raw body (and learn its first
/// receipt, at the same time), put each change we process on its kind's queue (a large value as a byte
/// range of the archive blob), and only then report Accepted. A rejected body leaves no trace anywhere.
/// The HTTP door (<see cref="WebhookDoor"/>), the CLI's ingest and re-ingestion all drive this class.
/// </summary>
internal sealed class WebhookIntake
{
    private readonly WebhookRegistry registry;
    private readonly RawArchive archive;
    private readonly IChangeQueue queue;
    private readonly IntakeOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<WebhookIntake> logger;

    internal WebhookIntake(WebhookRegistry registry, RawArchive archive, IChangeQueue queue, IntakeOptions options, TimeProvider time,
        ILogger<WebhookIntake> logger)
    {
        this.registry = registry;
        this.archive = archive;
        this.queue = queue;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    public Task<IntakeResult> ReceiveAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        ReceiveAsync(body, receivedAt: null, cancellationToken);

    /// <summary>
    /// <paramref name="receivedAt"/>: when the body was first received, for a re-ingest from the raw
    /// archive (the Webhooks registry still wins when it knows the body); null means now.
    /// </summary>
    public async Task<IntakeResult> ReceiveAsync(ReadOnlyMemory<byte> body, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        using var activity = CoexistenceTelemetry.Source.StartActivity("webhook intake");
        var result = await ReceiveCoreAsync(body, receivedAt, activity, cancellationToken);
        Record(result, activity);
        return result;
    }

    private static void Record(IntakeResult result, Activity? activity)
    {
        var outcome = result.Outcome switch
        {
            IntakeOutcome.Accepted => "accepted",
            IntakeOutcome.Rejected => "rejected",
            _ => "unavailable",
        };
        var kinds = result.Changes.Where(c => c.Queued).Select(c => c.Field).Distinct().ToList();
        var kind = result.Outcome != IntakeOutcome.Accepted ? "unknown" : kinds.Count switch { 0 => "none", 1 => kinds[0], _ => "mixed" };
        var reason = result.Problem?.Code ?? "none";
        CoexistenceTelemetry.Webhooks.Add(1,
            new(CoexistenceTelemetry.OutcomeTag, outcome), new(CoexistenceTelemetry.ReasonTag, reason), new(CoexistenceTelemetry.KindTag, kind));
        if (activity is null) return;
        activity.SetTag(CoexistenceTelemetry.OutcomeTag, outcome);
        activity.SetTag(CoexistenceTelemetry.ReasonTag, reason);
        activity.SetTag(CoexistenceTelemetry.KindTag, kind);
        if (result.WebhookId is not null) activity.SetTag(CoexistenceTelemetry.WebhookIdTag, result.WebhookId);
        if (result.Outcome == IntakeOutcome.Unavailable) activity.SetStatus(ActivityStatusCode.Error, reason);
    }

    private async Task<IntakeResult> ReceiveCoreAsync(ReadOnlyMemory<byte> body, DateTimeOffset? originallyReceivedAt, Activity? activity,
        CancellationToken cancellationToken)
    {
        if (body.Length > options.MaxBodyBytes)
            return IntakeResult.Rejected(TooLarge(options.MaxBodyBytes));

        // UTF-8 of the whole body, not only of the strings the envelope reader looks at: a message text the consumer
        // reads later must decode too.
        var reading = Utf8.IsValid(body.Span) ? WebhookEnvelopeReader.Read(body) : WebhookReading.Rejected(WebhookProblems.NotUtf8());
        if (reading.Problem is { } problem)
        {
            logger.LogWarning("Webhook rejected: {ProblemCode} at {Pointer}", problem.Code, problem.Pointer);
            return IntakeResult.Rejected(problem);
        }

        var webhookId = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        activity?.SetTag(CoexistenceTelemetry.WebhookIdTag, webhookId);
        try
        {
            var (receivedAt, archiveBlobs) = await ArchiveAsync(body, webhookId, reading.Changes, originallyReceivedAt, cancellationToken);

            // One queue message per processable change, once every archive copy is in place.
            var accepted = new AcceptedChange[reading.Changes.Count];
            await Task.WhenAll(reading.Changes.Select(async change =>
            {
                if (change.Kind is not { } kind)
                {
                    accepted[change.Index] = new AcceptedChange(change.Index, change.Field, change.PhoneNumberId, Queued: false, ClaimChecked: false);
                    return;
                }
                var claimChecked = await EnqueueAsync(body, change, kind, webhookId, receivedAt, archiveBlobs[change.PhoneNumberId!], cancellationToken);
                accepted[change.Index] = new AcceptedChange(change.Index, change.Field, change.PhoneNumberId, Queued: true, claimChecked);
            }));

            foreach (var change in accepted)
                logger.LogInformation(
                    "Webhook {WebhookId} change {ChangeIndex} accepted: {Field} for {PhoneNumberId}, queued {Queued}, claim check {ClaimChecked}",
                    webhookId, change.Index, WebhookKinds.LoggableField(change.Field), change.PhoneNumberId, change.Queued, change.ClaimChecked);
            return IntakeResult.Accepted(webhookId, accepted);
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            logger.LogError("Webhook {WebhookId} could not be stored ({ExceptionType}: status {Status}); the sender will retry",
                webhookId, e.GetType().Name, (e as RequestFailedException)?.Status);
            return IntakeResult.Unavailable("Storage or the queue did not accept the webhook; retry later.");
        }
    }

    /// <summary>
    /// Learns the body's first receipt (Webhooks registry) and archives it under that day, one copy per number, in
    /// one round trip in the usual case: the registry call and the archive uploads run together, speculating that
    /// the body is new (so filed under <paramref name="originallyReceivedAt"/>, or now). Uploads never overwrite.
    /// When the registry knows an earlier receipt, the copies are put right afterwards: filed under the first
    /// receipt's day (the speculative copy of another day deleted), with <c>receivedAt</c> metadata equal to the
    /// first receipt, also when an earlier attempt recorded the receipt and failed before archiving.
    /// Returns the first receipt and the archive blob of each number ("" for none).
    /// </summary>
    private async Task<(DateTimeOffset ReceivedAt, Dictionary<string, string> ArchiveBlobs)> ArchiveAsync(ReadOnlyMemory<byte> body, string webhookId,
        IReadOnlyList<WebhookChange> changes, DateTimeOffset? originallyReceivedAt, CancellationToken cancellationToken)
    {
        // Milliseconds, as the queue message writes it: the registry, the metadata and the message then hold the same instant.
        var now = TruncateToMilliseconds(originallyReceivedAt ?? time.GetUtcNow());
        var numbers = changes.Select(c => c.PhoneNumberId).Distinct().ToList();
        if (numbers.Count == 0) numbers.Add(null);

        var registered = registry.FirstReceivedAtAsync(webhookId, now, cancellationToken);
        var speculative = numbers.Select(n => (Number: n, Blob: RawArchive.BlobName(n, now, webhookId))).ToList();
        var created = speculative.Select(s => archive.StoreIfAbsentAsync(s.Blob, body, now, cancellationToken)).ToList();
        // Every call must have finished before the answer (a failure still running would race the retry).
        await Task.WhenAll(created.Append<Task>(registered));
        var receivedAt = await registered;

        var blobs = new Dictionary<string, string>(numbers.Count);
        var fixes = new List<Task>();
        for (var i = 0; i < speculative.Count; i++)
        {
            var (number, guessed) = speculative[i];
            var blob = RawArchive.BlobName(number, receivedAt, webhookId);
            blobs[number ?? ""] = blob;
            if (blob != guessed)
                fixes.Add(RefileAsync(body, guessed, blob, receivedAt, cancellationToken));
            else if (!await created[i] || receivedAt != now)
                fixes.Add(archive.EnsureReceivedAtAsync(blob, receivedAt, cancellationToken)); // a duplicate, or a first attempt that died half-way
        }
        await Task.WhenAll(fixes);
        return (receivedAt, blobs);
    }

    /// <summary>The first receipt was on another day: the copy belongs in that day's folder, not in today's.</summary>
    private async Task RefileAsync(ReadOnlyMemory<byte> body, string speculative, string blob, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        async Task KeepAsync()
        {
            if (!await archive.StoreIfAbsentAsync(blob, body, receivedAt, cancellationToken))
                await archive.EnsureReceivedAtAsync(blob, receivedAt, cancellationToken);
        }
        await Task.WhenAll(KeepAsync(), archive.DeleteIfExistsAsync(speculative, cancellationToken));
    }

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private async Task<bool> EnqueueAsync(ReadOnlyMemory<byte> body, WebhookChange change, WebhookKind kind, string webhookId, DateTimeOffset receivedAt,
        string archiveBlob, CancellationToken cancellationToken)
    {
        // The enqueue's span; its traceparent travels in the message so that the consumer joins this trace.
        using var activity = CoexistenceTelemetry.Source.StartActivity("change enqueue", ActivityKind.Producer);
        activity?.SetTag(CoexistenceTelemetry.KindTag, kind.ToField());
        activity?.SetTag(CoexistenceTelemetry.PhoneNumberIdTag, change.PhoneNumberId);
        activity?.SetTag(CoexistenceTelemetry.WebhookIdTag, webhookId);
        activity?.SetTag(CoexistenceTelemetry.ChangeIdTag, $"{webhookId}-{change.Index}");
        if (change.EventId is not null) activity?.SetTag(CoexistenceTelemetry.EventIdTag, change.EventId);
        var (message, serialized) = PrepareMessage(body, change, kind, webhookId, receivedAt, archiveBlob, options.ClaimCheckThresholdBytes,
            CoexistenceTelemetry.CurrentTraceParent());
        var claimChecked = message.PayloadRange is not null;
        if (claimChecked)
        {
            CoexistenceTelemetry.ClaimChecks.Add(1, new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, kind.ToField()));
            CoexistenceTelemetry.ClaimCheckSize.Record(change.Value.Length, new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, kind.ToField()));
        }
        await queue.SendAsync(message, serialized, cancellationToken);
        CoexistenceTelemetry.ChangesQueued.Add(1, new(CoexistenceTelemetry.KindTag, kind.ToField()), new("coexistence.claim_checked", claimChecked));
        return claimChecked;
    }

    /// <summary>
    /// The queue message for one change of <paramref name="body"/> and its serialized form: the door's CPU work per
    /// change, without I/O (the benchmarks measure exactly this). Above the threshold the value goes by claim check,
    /// and the claim check is the raw archive: the message names the value's byte range in <paramref name="archiveBlob"/>
    /// (<see cref="ChangeMessage.PayloadRange"/>, version 2), which the caller must have written first.
    /// </summary>
    internal static (ChangeMessage Message, byte[] Serialized) PrepareMessage(ReadOnlyMemory<byte> body, WebhookChange change, WebhookKind kind,
        string webhookId, DateTimeOffset receivedAt, string archiveBlob, int claimCheckThresholdBytes, string? traceParent = null)
    {
        var message = new ChangeMessage
        {
            Kind = kind,
            PhoneNumberId = change.PhoneNumberId!,
            DisplayPhoneNumber = change.DisplayPhoneNumber!,
            WabaId = change.WabaId,
            EventId = change.EventId,
            WebhookId = webhookId,
            ChangeIndex = change.Index,
            ReceivedAt = receivedAt,
            ArchiveBlob = archiveBlob,
            Payload = change.Value,
            TraceParent = traceParent,
        };
        // A value longer than the threshold makes a message longer than it, too: skip serialising it inline
        // (for a 3 MB history that would copy the value twice only to throw it away; docs/performance.md).
        var serialized = change.Value.Length > claimCheckThresholdBytes ? null : ChangeMessageFormat.Serialize(message);
        if (serialized is not null && serialized.Length <= claimCheckThresholdBytes) return (message, serialized);
        message = message with { Payload = default, PayloadRange = RangeOf(body, change.Value) };
        return (message, ChangeMessageFormat.Serialize(message));
    }

    /// <summary>
    /// Where <paramref name="value"/> lies in <paramref name="body"/>. The envelope reader hands out each change's value
    /// as a slice of the body's memory (<c>JsonValues.RawSlice</c>), so its offset is where that slice starts. Should a
    /// reader ever hand out a copy instead, the same bytes are found by search: any occurrence is the value, byte for byte.
    /// </summary>
    internal static PayloadRange RangeOf(ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> value)
    {
        var offset = (long)System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(body.Span),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(value.Span));
        if (offset < 0 || offset + value.Length > body.Length || !body.Span.Slice((int)offset, value.Length).SequenceEqual(value.Span))
            offset = body.Span.IndexOf(value.Span);
        if (offset < 0 || value.IsEmpty) throw new InvalidOperationException("The change's value is not part of the webhook body.");
        return new PayloadRange(offset, value.Length);
    }

    public static Problem TooLarge(int limit) =>
        new(WebhookProblems.BodyTooLarge, "The request body is too large", $"The body exceeds the limit of {limit} bytes.", null, 413);

    private static bool IsStorageFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or HttpRequestException or IOException or AggregateException
            or Azure.Messaging.ServiceBus.ServiceBusException or UnauthorizedAccessException or TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
