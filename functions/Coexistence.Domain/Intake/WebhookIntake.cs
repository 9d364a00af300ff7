using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Unicode;
using Azure;
using Coexistence.Archive;
using Coexistence.Changes;
using Coexistence.Http;
using Coexistence.Storage;
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
    /// <paramref name="requeueKnownBodies"/>: queue the changes even when the registry says an earlier delivery of the
    /// same body queued them all (re-ingestion, whose point is to process again); otherwise such a body is answered
    /// Accepted as a duplicate without queueing anything again.
    /// <paramref name="deadline"/>: when storage has not finished by then, its calls are cancelled and the answer is
    /// Unavailable (the HTTP door's <see cref="IntakeOptions.AnswerWithinMilliseconds"/>); null: no deadline.
    /// <paramref name="allowedAccounts"/>: the WABA ids the sender may post for (its credential's scope); a change naming
    /// another, or none, refuses the body. Null: any.
    /// </summary>
    public async Task<IntakeResult> ReceiveAsync(ReadOnlyMemory<byte> body, DateTimeOffset? receivedAt, CancellationToken cancellationToken,
        bool requeueKnownBodies = false, TimeSpan? deadline = null, IReadOnlySet<string>? allowedAccounts = null)
    {
        using var activity = CoexistenceTelemetry.Source.StartActivity("webhook intake");
        using var withinDeadline = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline is { } limit) withinDeadline!.CancelAfter(limit);
        var result = await ReceiveCoreAsync(body, receivedAt, requeueKnownBodies, allowedAccounts, activity, withinDeadline?.Token ?? cancellationToken,
            cancellationToken);
        Record(result, activity);
        return result;
    }

    private static void Record(IntakeResult result, Activity? activity)
    {
        var outcome = result.Outcome switch
        {
            IntakeOutcome.Accepted => "accepted",
            IntakeOutcome.Rejected => "rejected",
            IntakeOutcome.Failed => "failed",
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
        if (result.Outcome is IntakeOutcome.Unavailable or IntakeOutcome.Failed) activity.SetStatus(ActivityStatusCode.Error, reason);
    }

    /// <param name="cancellationToken">The work's token: the caller's, or the caller's cancelled at the deadline.</param>
    /// <param name="callerToken">The caller's: when it is cancelled the caller gave up; when only the work's is, the deadline passed.</param>
    private async Task<IntakeResult> ReceiveCoreAsync(ReadOnlyMemory<byte> body, DateTimeOffset? originallyReceivedAt, bool requeueKnownBodies,
        IReadOnlySet<string>? allowedAccounts, Activity? activity, CancellationToken cancellationToken, CancellationToken callerToken)
    {
        if (body.Length > options.MaxBodyBytes)
            return IntakeResult.Rejected(WebhookProblems.TooLarge(options.MaxBodyBytes));

        // UTF-8 of the whole body, not only of the strings the envelope reader looks at: a message text the consumer
        // reads later must decode too.
        var reading = Utf8.IsValid(body.Span) ? WebhookEnvelopeReader.Read(body) : WebhookReading.Rejected(WebhookProblems.NotUtf8());
        var problem = reading.Problem ?? FanOutProblem(reading.Changes) ?? AccountProblem(reading.Changes, allowedAccounts);
        if (problem is not null)
        {
            logger.LogWarning("Webhook rejected: {ProblemCode} at {Pointer}", problem.Code, problem.Pointer);
            return IntakeResult.Rejected(problem);
        }

        var webhookId = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        activity?.SetTag(CoexistenceTelemetry.WebhookIdTag, webhookId);
        try
        {
            var (receipt, archiveBlobs) = await ArchiveAsync(body, webhookId, reading.Changes, originallyReceivedAt, cancellationToken);
            var duplicate = receipt.AllQueued && !requeueKnownBodies;

            // One queue message per processable change, once every archive copy is in place; none again for a body whose
            // every change an earlier delivery queued (issue 17, finding 7).
            var accepted = new AcceptedChange[reading.Changes.Count];
            await ForEachBoundedAsync(reading.Changes, async (change, ct) =>
            {
                if (change.Kind is not { } kind)
                {
                    accepted[change.Index] = new AcceptedChange(change.Index, change.Field, change.PhoneNumberId, Queued: false, ClaimChecked: false);
                    return;
                }
                var claimChecked = !duplicate
                    && await EnqueueAsync(body, change, kind, webhookId, receipt.ReceivedAt, archiveBlobs[change.PhoneNumberId ?? ""], ct);
                accepted[change.Index] = new AcceptedChange(change.Index, change.Field, change.PhoneNumberId, Queued: true, claimChecked);
            }, cancellationToken);
            if (!receipt.AllQueued) await registry.MarkQueuedAsync(webhookId, time.GetUtcNow(), cancellationToken);

            // One line per request, with counts (a body of many changes used to write one line per change).
            logger.LogInformation(
                "Webhook {WebhookId} accepted: {ChangeCount} change(s) ({Fields}) for {NumberCount} number(s), {QueuedCount} queued, "
                + "{ClaimCheckedCount} by claim check, duplicate {Duplicate}",
                webhookId, accepted.Length, string.Join(",", accepted.Select(c => WebhookKinds.LoggableField(c.Field)).Distinct()),
                archiveBlobs.Count, duplicate ? 0 : accepted.Count(c => c.Queued), accepted.Count(c => c.ClaimChecked), duplicate);
            return IntakeResult.Accepted(webhookId, accepted, duplicate);
        }
        catch (Exception e) when (PermanentFailures.IsPermanent(e))
        {
            // Not the body's fault, and not one a retry fixes: our configuration (a queue missing or disabled) or a bug (a
            // message over the queue's size, a bad key). An error for the operator; 500, not 503 (issue 18, finding 5).
            logger.LogError("Webhook {WebhookId} could not be stored: storage or the queue refused it for good ({Failure}); fix the deployment, "
                + "the sender's retries then succeed", webhookId, PermanentFailures.Describe(e));
            return IntakeResult.Failed("Storage or the queue refused the webhook; this is a fault of the service, not of the body.");
        }
        catch (Exception e) when (IsStorageFailure(e, callerToken))
        {
            var timedOut = cancellationToken.IsCancellationRequested && !callerToken.IsCancellationRequested;
            logger.LogError("Webhook {WebhookId} could not be stored ({ExceptionType}: status {Status}, deadline passed {DeadlinePassed}); the sender will retry",
                webhookId, e.GetType().Name, (e as RequestFailedException)?.Status, timedOut);
            return IntakeResult.Unavailable(timedOut
                ? "Storage or the queue did not answer in time; retry later."
                : "Storage or the queue did not accept the webhook; retry later.");
        }
    }

    /// <summary>
    /// The body's fan-out over the limits (<see cref="IntakeOptions.MaxChangesPerBody"/>, <see cref="IntakeOptions.MaxNumbersPerBody"/>),
    /// or null: checked before anything is stored, so that one request cannot write without bound (issue 17, finding 2).
    /// </summary>
    private Problem? FanOutProblem(IReadOnlyList<WebhookChange> changes)
    {
        if (changes.Count > options.MaxChangesPerBody) return WebhookProblems.ManyChanges(changes.Count, options.MaxChangesPerBody);
        if (changes.Count <= options.MaxNumbersPerBody) return null; // fewer changes than the limit cannot name more numbers
        var numbers = changes.Select(c => c.PhoneNumberId).Distinct().Count();
        return numbers > options.MaxNumbersPerBody ? WebhookProblems.ManyNumbers(numbers, options.MaxNumbersPerBody) : null;
    }

    /// <summary>
    /// The first change whose account its sender may not post for (issue 17, finding 4: a sender admitted for one business
    /// rewrote another's rows), or null; a change naming no account cannot show it is allowed.
    /// </summary>
    private static Problem? AccountProblem(IReadOnlyList<WebhookChange> changes, IReadOnlySet<string>? allowedAccounts)
    {
        if (allowedAccounts is null) return null;
        foreach (var change in changes)
            if (change.WabaId is null || !allowedAccounts.Contains(change.WabaId))
                return WebhookProblems.NotAllowed(AccountPointer(change.Pointer), change.WabaId);
        return null;
    }

    /// <summary>Where a change's account is: <c>/entry/{i}/id</c> for a Meta change, <c>/data/id</c> for a partner one.</summary>
    private static string AccountPointer(string changePointer) =>
        changePointer.StartsWith("/entry/", StringComparison.Ordinal) && changePointer.IndexOf('/', "/entry/".Length) is var end and > 0
            ? changePointer[..end] + "/id"
            : "/data/id";

    /// <summary>
    /// <paramref name="work"/> for every item, at most <see cref="IntakeOptions.MaxConcurrentWrites"/> at a time, and only
    /// returning once every started call has finished (a failure still running would race the sender's retry).
    /// </summary>
    private Task ForEachBoundedAsync<T>(IReadOnlyList<T> items, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        items.Count <= options.MaxConcurrentWrites
            ? Task.WhenAll(items.Select(item => work(item, cancellationToken)))
            : Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentWrites, CancellationToken = cancellationToken },
                (item, ct) => new ValueTask(work(item, ct)));

    /// <summary>
    /// Learns the body's first receipt (Webhooks registry) and archives it under that day, one copy per number, in
    /// one round trip in the usual case: the registry call and the archive uploads run together, speculating that
    /// the body is new (so filed under <paramref name="originallyReceivedAt"/>, or now). Uploads never overwrite.
    /// When the registry knows an earlier receipt, the copies are put right afterwards: filed under the first
    /// receipt's day (the speculative copy of another day deleted), with <c>receivedAt</c> metadata equal to the
    /// first receipt, also when an earlier attempt recorded the receipt and failed before archiving.
    /// Returns the first receipt and the archive blob of each number ("" for none).
    /// </summary>
    private async Task<(WebhookReceipt Receipt, Dictionary<string, string> ArchiveBlobs)> ArchiveAsync(ReadOnlyMemory<byte> body, string webhookId,
        IReadOnlyList<WebhookChange> changes, DateTimeOffset? originallyReceivedAt, CancellationToken cancellationToken)
    {
        // Milliseconds, as the queue message writes it: the registry, the metadata and the message then hold the same instant.
        var now = TruncateToMilliseconds(originallyReceivedAt ?? time.GetUtcNow());
        var numbers = changes.Select(c => c.PhoneNumberId).Distinct().ToList();
        if (numbers.Count == 0) numbers.Add(null);

        var registered = registry.FirstReceiptAsync(webhookId, now, cancellationToken);
        var speculative = numbers.Select(n => (Number: n, Blob: RawArchive.BlobName(n, now, webhookId))).ToList();
        var created = new bool[speculative.Count];
        var uploads = ForEachBoundedAsync(Enumerable.Range(0, speculative.Count).ToList(),
            async (i, ct) => created[i] = await archive.StoreIfAbsentAsync(speculative[i].Blob, body, now, ct), cancellationToken);
        // Every call must have finished before the answer (a failure still running would race the retry).
        await Task.WhenAll(uploads, registered);
        var receipt = await registered;
        var receivedAt = receipt.ReceivedAt;

        var blobs = new Dictionary<string, string>(numbers.Count);
        var fixes = new List<Func<CancellationToken, Task>>();
        for (var i = 0; i < speculative.Count; i++)
        {
            var (number, guessed) = speculative[i];
            var blob = RawArchive.BlobName(number, receivedAt, webhookId);
            blobs[number ?? ""] = blob;
            if (blob != guessed)
                fixes.Add(ct => RefileAsync(body, guessed, blob, receivedAt, ct));
            else if (!created[i] || receivedAt != now)
                fixes.Add(ct => archive.EnsureReceivedAtAsync(blob, receivedAt, ct)); // a duplicate, or a first attempt that died half-way
        }
        await ForEachBoundedAsync(fixes, (fix, ct) => fix(ct), cancellationToken);
        return (receipt, blobs);
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
            PhoneNumberId = change.PhoneNumberId,
            DisplayPhoneNumber = change.DisplayPhoneNumber,
            OccurredAt = change.EntryTime,
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

    /// <summary>
    /// A failure of storage or the queue that a retry can fix (answered 503), not of the caller: a cancellation only when the
    /// caller did not cancel. The permanent ones (<see cref="PermanentFailures"/>) are caught before.
    /// </summary>
    private static bool IsStorageFailure(Exception e, CancellationToken callerToken) =>
        e is RequestFailedException or HttpRequestException or IOException or AggregateException
            or Azure.Messaging.ServiceBus.ServiceBusException or UnauthorizedAccessException or TimeoutException
        || (e is OperationCanceledException && !callerToken.IsCancellationRequested);
}
