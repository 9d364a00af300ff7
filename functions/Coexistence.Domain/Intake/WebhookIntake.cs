using System.Diagnostics;
using System.Security.Cryptography;
using Azure;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Telemetry;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Intake;

/// <summary>
/// The door's work, independent of HTTP: read the envelope, archive the raw body, put each change we
/// process on its kind's queue (through a claim check when large), and only then report Accepted.
/// A rejected body leaves no trace anywhere. The HTTP function and the CLI both drive this class.
/// </summary>
public sealed class WebhookIntake(
    WebhookRegistry registry,
    RawArchive archive,
    ClaimCheckStore claimChecks,
    IChangeQueue queue,
    IntakeOptions options,
    TimeProvider time,
    ILogger<WebhookIntake> logger)
{
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

        var reading = WebhookEnvelopeReader.Read(body);
        if (reading.Problem is { } problem)
        {
            logger.LogWarning("Webhook rejected: {ProblemCode} at {Pointer}", problem.Code, problem.Pointer);
            return IntakeResult.Rejected(problem);
        }

        var webhookId = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        activity?.SetTag(CoexistenceTelemetry.WebhookIdTag, webhookId);
        try
        {
            // A retried body keeps the time it was first received (see WebhookRegistry).
            var receivedAt = await registry.FirstReceivedAtAsync(webhookId, originallyReceivedAt ?? time.GetUtcNow(), cancellationToken);

            // 1. The raw archive first: once a body is queued it must already be recoverable.
            var numbers = reading.Changes.Select(c => c.PhoneNumberId).Distinct().ToList();
            if (numbers.Count == 0) numbers.Add(null);
            var archiveBlobs = numbers.ToDictionary(n => n ?? "", n => RawArchive.BlobName(n, receivedAt, webhookId));
            await Task.WhenAll(archiveBlobs.Values.Select(name => archive.StoreAsync(name, body, receivedAt, cancellationToken)));

            // 2. One queue message per processable change.
            var accepted = new AcceptedChange[reading.Changes.Count];
            await Task.WhenAll(reading.Changes.Select(async change =>
            {
                if (change.Kind is not { } kind)
                {
                    accepted[change.Index] = new AcceptedChange(change.Index, change.Field, change.PhoneNumberId, Queued: false, ClaimChecked: false);
                    return;
                }
                var claimChecked = await EnqueueAsync(change, kind, webhookId, receivedAt, archiveBlobs[change.PhoneNumberId!], cancellationToken);
                accepted[change.Index] = new AcceptedChange(change.Index, change.Field, change.PhoneNumberId, Queued: true, claimChecked);
            }));

            foreach (var change in accepted)
                logger.LogInformation("Webhook {WebhookId} change {ChangeIndex} accepted: {Field} for {PhoneNumberId}, queued {Queued}, claim check {ClaimChecked}",
                    webhookId, change.Index, change.Field, change.PhoneNumberId, change.Queued, change.ClaimChecked);
            return IntakeResult.Accepted(webhookId, accepted);
        }
        catch (Exception e) when (IsStorageFailure(e, cancellationToken))
        {
            logger.LogError("Webhook {WebhookId} could not be stored ({ExceptionType}: status {Status}); the sender will retry",
                webhookId, e.GetType().Name, (e as RequestFailedException)?.Status);
            return IntakeResult.Unavailable("Storage or the queue did not accept the webhook; retry later.");
        }
    }

    private async Task<bool> EnqueueAsync(WebhookChange change, WebhookKind kind, string webhookId, DateTimeOffset receivedAt, string archiveBlob,
        CancellationToken cancellationToken)
    {
        // The enqueue's span; its traceparent travels in the message so that the consumer joins this trace.
        using var activity = CoexistenceTelemetry.Source.StartActivity("change enqueue", ActivityKind.Producer);
        activity?.SetTag(CoexistenceTelemetry.KindTag, kind.ToField());
        activity?.SetTag(CoexistenceTelemetry.PhoneNumberIdTag, change.PhoneNumberId);
        activity?.SetTag(CoexistenceTelemetry.WebhookIdTag, webhookId);
        activity?.SetTag(CoexistenceTelemetry.MessageIdTag, $"{webhookId}-{change.Index}");
        if (change.EventId is not null) activity?.SetTag(CoexistenceTelemetry.EventIdTag, change.EventId);
        var (message, serialized) = PrepareMessage(change, kind, webhookId, receivedAt, archiveBlob, options.ClaimCheckThresholdBytes,
            CoexistenceTelemetry.CurrentTraceParent());
        var claimChecked = message.PayloadBlob is not null;
        if (claimChecked)
        {
            await claimChecks.StoreAsync(message.PayloadBlob!, change.Value, cancellationToken);
            CoexistenceTelemetry.ClaimChecks.Add(1, new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, kind.ToField()));
            CoexistenceTelemetry.ClaimCheckSize.Record(change.Value.Length, new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, kind.ToField()));
        }
        await queue.SendAsync(message, serialized, cancellationToken);
        CoexistenceTelemetry.ChangesQueued.Add(1, new(CoexistenceTelemetry.KindTag, kind.ToField()), new("coexistence.claim_checked", claimChecked));
        return claimChecked;
    }

    /// <summary>
    /// The queue message for one change and its serialized form: the door's CPU work per change, without
    /// I/O (the benchmarks measure exactly this). Above the threshold the value goes by claim check: the
    /// message then names the blob (<see cref="ChangeMessage.PayloadBlob"/>) the caller must write first.
    /// </summary>
    public static (ChangeMessage Message, byte[] Serialized) PrepareMessage(WebhookChange change, WebhookKind kind, string webhookId,
        DateTimeOffset receivedAt, string archiveBlob, int claimCheckThresholdBytes, string? traceParent = null)
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
        message = message with { Payload = default, PayloadBlob = ClaimCheckStore.BlobName(kind, change.PhoneNumberId!, webhookId, change.Index) };
        return (message, ChangeMessageFormat.Serialize(message));
    }

    public static WebhookProblem TooLarge(int limit) =>
        new(WebhookProblem.BodyTooLarge, "The request body is too large", $"The body exceeds the limit of {limit} bytes.", null, 413);

    private static bool IsStorageFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or HttpRequestException or IOException or AggregateException
            or Azure.Messaging.ServiceBus.ServiceBusException or UnauthorizedAccessException or TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
