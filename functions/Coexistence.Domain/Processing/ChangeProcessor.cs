using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coexistence.Archive;
using Coexistence.Changes;
using Coexistence.Media;
using Coexistence.Model;
using Coexistence.Storage;
using Coexistence.Tables;
using Coexistence.Telemetry;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Processing;

/// <summary>
/// The consumers' work, independent of the transport: read one change message, fetch its payload,
/// and fan it out into the tables by kind. Transient storage failures are thrown (the transport
/// retries the message); a message that can never succeed, including one whose write storage refuses for good
/// (<see cref="PermanentFailures"/>), comes back as <see cref="ProcessingOutcome.Rejected"/>.
/// </summary>
public sealed class ChangeProcessor
{
    private readonly RawArchive archive;
    private readonly MessageStore messages;
    private readonly StatusStore statuses;
    private readonly ContactStore contacts;
    private readonly IdentityStore identities;
    private readonly HistorySyncStore historySync;
    private readonly QuarantineStore quarantine;
    private readonly NumberSnapshots numberSnapshots;
    private readonly NumberRegistry registry;
    private readonly ILogger<ChangeProcessor> logger;
    private readonly TimeProvider time;
    private readonly IMediaJobQueue? mediaJobs;
    private readonly MediaOptions? media;

    /// <param name="mediaJobs">Where media jobs go (docs/media.md); null: media are never archived.</param>
    /// <param name="media">Which numbers' media are archived, and how long a provider's media id lives.</param>
    internal ChangeProcessor(RawArchive archive, MessageStore messages, StatusStore statuses, ContactStore contacts, IdentityStore identities,
        HistorySyncStore historySync, QuarantineStore quarantine, NumberSnapshots numberSnapshots, NumberRegistry registry, ILogger<ChangeProcessor> logger,
        TimeProvider time, IMediaJobQueue? mediaJobs = null, MediaOptions? media = null)
    {
        this.mediaJobs = mediaJobs;
        this.media = media;
        this.archive = archive;
        this.messages = messages;
        this.statuses = statuses;
        this.contacts = contacts;
        this.identities = identities;
        this.historySync = historySync;
        this.quarantine = quarantine;
        this.numberSnapshots = numberSnapshots;
        this.registry = registry;
        this.logger = logger;
        this.time = time;
    }

    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 64 };

    public async Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> queueMessage, CancellationToken cancellationToken)
    {
        var readable = ChangeMessageFormat.TryParse(queueMessage, out var message, out var error);

        // Continue the webhook's trace (the door's enqueue is the parent); the transport's own span, if any, is linked.
        var links = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : null;
        using var activity = CoexistenceTelemetry.Source.StartActivity("change process", ActivityKind.Consumer,
            CoexistenceTelemetry.ParentFrom(message?.TraceParent), links: links);
        var result = readable
            ? await ProcessReadableAsync(message!, queueMessage, cancellationToken)
            : await RejectAsync(null, queueMessage, $"unreadable queue message: {error}", cancellationToken);
        Record(message, result, activity);
        return result;
    }

    /// <summary>
    /// A readable message, processed; storage refusing one of its writes for good (a 400 for a bad key or property, a
    /// 413) rejects it like any message that can never succeed, at once, instead of retrying it until the transport
    /// gives up (issue 18, finding 3). Its rows written so far stay: they are idempotent, and a re-drive after the fix
    /// writes them again.
    /// </summary>
    private async Task<ProcessingResult> ProcessReadableAsync(ChangeMessage message, ReadOnlyMemory<byte> queueMessage, CancellationToken cancellationToken)
    {
        try
        {
            return await ProcessMessageAsync(message, queueMessage, cancellationToken);
        }
        catch (Exception e) when (PermanentFailures.IsPermanent(e))
        {
            return await RejectAsync(message, queueMessage, $"{StorageRefused}: {PermanentFailures.Describe(e)}", cancellationToken);
        }
    }

    private void Record(ChangeMessage? message, ProcessingResult result, Activity? activity)
    {
        var kind = new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, result.Kind?.ToField() ?? "unknown");
        var outcome = result.Outcome == ProcessingOutcome.Processed ? "processed" : "rejected";
        CoexistenceTelemetry.ChangesProcessed.Add(1, kind, new(CoexistenceTelemetry.OutcomeTag, outcome),
            new(CoexistenceTelemetry.ReasonTag, result.Outcome == ProcessingOutcome.Processed ? "none" : ReasonCode(result.Reason)));
        if (result.Messages > 0) CoexistenceTelemetry.MessagesWritten.Add(result.Messages, kind);
        if (result.Facts > 0) CoexistenceTelemetry.FactsReceived.Add(result.Facts, kind);
        if (result.Statuses > 0) CoexistenceTelemetry.StatusesReceived.Add(result.Statuses, kind);
        if (result.Contacts > 0) CoexistenceTelemetry.ContactsWritten.Add(result.Contacts, kind);
        if (result.Quarantined > 0) CoexistenceTelemetry.ItemsQuarantined.Add(result.Quarantined, kind);
        if (message is not null && result.Outcome == ProcessingOutcome.Processed)
            CoexistenceTelemetry.FanOutLatency.Record(Math.Max(0, (time.GetUtcNow() - message.ReceivedAt).TotalSeconds), kind);

        if (activity is null) return;
        activity.SetTag(kind.Key, kind.Value);
        activity.SetTag(CoexistenceTelemetry.OutcomeTag, outcome);
        if (message is not null)
        {
            activity.SetTag(CoexistenceTelemetry.PhoneNumberIdTag, message.PhoneNumberId);
            activity.SetTag(CoexistenceTelemetry.WebhookIdTag, message.WebhookId);
            activity.SetTag(CoexistenceTelemetry.ChangeIdTag, message.ChangeId);
            if (message.EventId is not null) activity.SetTag(CoexistenceTelemetry.EventIdTag, message.EventId);
        }
        activity.SetTag("coexistence.messages", result.Messages);
        activity.SetTag("coexistence.statuses", result.Statuses);
        activity.SetTag("coexistence.contacts", result.Contacts);
        activity.SetTag("coexistence.quarantined", result.Quarantined);
        if (result.Outcome == ProcessingOutcome.Rejected)
        {
            activity.SetTag(CoexistenceTelemetry.ReasonTag, ReasonCode(result.Reason));
            activity.SetStatus(ActivityStatusCode.Error, ReasonCode(result.Reason));
        }
    }

    /// <summary>A rejection reason as a short fixed code for metrics (the reason's text names blobs and quotes parser errors).</summary>
    internal static string ReasonCode(string? reason) => reason switch
    {
        null => "unknown",
        _ when reason.StartsWith("unreadable", StringComparison.Ordinal) => "unreadable-message",
        _ when reason.StartsWith(ArchiveBlobMissing, StringComparison.Ordinal) => "archive-blob-missing",
        _ when reason.StartsWith(PayloadRangeOutOfBounds, StringComparison.Ordinal) => "payload-range-out-of-bounds",
        _ when reason.StartsWith("payload is not JSON", StringComparison.Ordinal) => "payload-not-json",
        _ when reason.StartsWith("unknown kind", StringComparison.Ordinal) => "unknown-kind",
        _ when reason.StartsWith(StorageRefused, StringComparison.Ordinal) => "storage-refused",
        _ => "other",
    };

    /// <summary>What stands for the change id of a message too broken to read: the SHA-256 of its text.</summary>
    internal static string IdOfUnreadable(ReadOnlyMemory<byte> queueMessage) => Convert.ToHexStringLower(SHA256.HashData(queueMessage.Span));

    private const string ArchiveBlobMissing = "archive blob";
    private const string PayloadRangeOutOfBounds = "payload range";
    private const string StorageRefused = "storage refused a write";

    private async Task<ProcessingResult> ProcessMessageAsync(ChangeMessage message, ReadOnlyMemory<byte> queueMessage, CancellationToken cancellationToken)
    {
        // The number as the Numbers table knows it, read once per change (one range query): its registry row and erasures. (An
        // account event that names no number names a WABA: it has none.)
        var number = message.PhoneNumberId is { } numberId ? await numberSnapshots.ReadAsync(numberId, cancellationToken) : null;
        if (number is not null && number.NumberErasedAt(message.ReceivedAt) is { } erasedAt)
        {
            // A late delivery (or a re-ingest, a redelivery) of a webhook received before the number was erased: nothing is written.
            logger.LogInformation("Dropped {Kind} change {ChangeId} for {PhoneNumberId}: the number was erased at {ErasedAt}",
                message.Kind, message.ChangeId, message.PhoneNumberId, erasedAt);
            CoexistenceTelemetry.ChangesErased.Add(1, new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, message.Kind.ToField()),
                new(CoexistenceTelemetry.ErasureTag, "number"));
            return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId, Dropped: true);
        }
        var erasedCustomers = number is null ? new HashSet<string>() : ErasureFilter.ErasedCustomers(number, message.ReceivedAt);

        var payload = message.Payload;
        if (message.PayloadRange is { } range)
        {
            // The value is a range of the raw archive blob; only that range is downloaded.
            var read = await archive.TryReadRangeAsync(message.ArchiveBlob, range, cancellationToken);
            if (read.BlobMissing)
                return await RejectAsync(message, queueMessage, $"{ArchiveBlobMissing} {message.ArchiveBlob} does not exist", cancellationToken);
            if (read.Bytes is not { } bytes)
                return await RejectAsync(message, queueMessage,
                    $"{PayloadRangeOutOfBounds} ({range}) is beyond the end of archive blob {message.ArchiveBlob}"
                        + $"{(read.BlobSize is { } size ? $" ({size} bytes)" : "")}",
                    cancellationToken);
            payload = bytes;
        }

        JsonDocument document;
        var redacted = 0;
        try
        {
            if (erasedCustomers.Count > 0)
            {
                // Customers of the number erased after this webhook arrived: their items are taken out before anything is parsed.
                var copy = payload.ToArray();
                redacted = CustomerRedaction.RedactInPlace(copy, erasedCustomers);
                payload = copy;
            }
            document = JsonDocument.Parse(payload, PayloadOptions);
        }
        catch (JsonException e)
        {
            return await RejectAsync(message, queueMessage, $"payload is not JSON: {e.Message}", cancellationToken);
        }

        using (document)
        {
            if (redacted > 0)
            {
                logger.LogInformation("Left out {Items} items of erased customers from {Kind} change {ChangeId} for {PhoneNumberId}",
                    redacted, message.Kind, message.ChangeId, message.PhoneNumberId);
                CoexistenceTelemetry.ChangesErased.Add(1, new KeyValuePair<string, object?>(CoexistenceTelemetry.KindTag, message.Kind.ToField()),
                    new(CoexistenceTelemetry.ErasureTag, "customer"));
            }
            var value = document.RootElement;
            var result = message.Kind switch
            {
                WebhookKind.History => await ProcessHistoryAsync(message, value, cancellationToken),
                WebhookKind.ContactSync => await ProcessContactsAsync(message, value, cancellationToken),
                WebhookKind.MessageEchoes => await ProcessEchoesAsync(message, value, cancellationToken),
                WebhookKind.Messages => await ProcessMessagesAsync(message, value, cancellationToken),
                WebhookKind.AccountUpdate => await ProcessAccountUpdateAsync(message, value, cancellationToken),
                _ => ProcessingResult.Rejected($"unknown kind {message.Kind}"),
            };
            // Once the change is stored: the number's WABA, display number and receipt times (nothing written when nothing changed).
            // (An account event is not the number's own traffic: it teaches the registry nothing.)
            if (number is not null && message.Kind != WebhookKind.AccountUpdate && result.Outcome == ProcessingOutcome.Processed)
                await registry.LearnAsync(message, number, cancellationToken);
            logger.LogInformation(
                "Processed {Kind} change {ChangeId} for {PhoneNumberId}: {Messages} messages, {Facts} facts, {Statuses} statuses, {Contacts} contacts, "
                    + "{Chunks} chunks, {Quarantined} quarantined, {TableBatches} batches",
                message.Kind, message.ChangeId, message.PhoneNumberId, result.Messages, result.Facts, result.Statuses, result.Contacts, result.Chunks,
                result.Quarantined, result.TableBatches);
            return result;
        }
    }

    /// <summary>
    /// An account event: recorded under its WABA and attributed to the numbers it is about (<see cref="NumberRegistry"/>).
    /// Its time is the entry's <c>time</c>, else the first receipt.
    /// </summary>
    private async Task<ProcessingResult> ProcessAccountUpdateAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var accountEvent = AccountUpdatePayloadParser.Parse(value, message.OccurredAt ?? message.ReceivedAt.ToUnixTimeSeconds());
        var numbers = await registry.RecordAccountEventAsync(message, accountEvent, cancellationToken);
        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId, Facts: 1, TableBatches: 1 + numbers.Count);
    }

    private async Task<ProcessingResult> ProcessHistoryAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = HistoryPayloadParser.Parse(value, message.Display, message.ChangeId);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);

        var batches = 0;
        var messageCount = 0;
        var reachedSupersededChat = false;
        var appliedFollowUps = new List<MessageFact>();
        foreach (var (chunk, chunkMessages) in payload.Chunks)
        {
            // Messages before the chunk row: a chunk is only counted once its messages are stored.
            var write = await messages.WriteMessagesAsync(message.Number, chunkMessages, cancellationToken);
            batches += write.Batches;
            reachedSupersededChat |= write.ReachedSupersededChat;
            appliedFollowUps.AddRange(write.AppliedMediaFollowUps ?? []);
            await historySync.RecordChunkAsync(message.Number, chunk, message.WebhookId, message.ReceivedAt, cancellationToken);
            messageCount += chunkMessages.Count;
            var number = new KeyValuePair<string, object?>(CoexistenceTelemetry.PhoneNumberIdTag, message.Number);
            CoexistenceTelemetry.HistoryChunks.Add(1, number);
            if (chunk.Progress is { } progress) CoexistenceTelemetry.HistoryProgress.Record(progress, number);
        }
        batches += await KeepPeopleTogetherAsync(message.Number, new IdentityFacts(payload.Chunks.SelectMany(c => c.Messages), [], reachedSupersededChat),
            cancellationToken);
        foreach (var decline in payload.Declines)
            await historySync.RecordDeclineAsync(message.Number, decline, message.ReceivedAt, cancellationToken);
        await messages.ApplyFactsAsync(message.Number, [.. payload.MediaFollowUps, .. payload.Reactions], cancellationToken);
        // The follow-ups that waited for this change's placeholders are archived now too: their own jobs found no row.
        await QueueMediaJobsAsync(message, payload.Chunks.SelectMany(c => c.Messages), [.. payload.MediaFollowUps, .. appliedFollowUps],
            cancellationToken);

        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Messages: messageCount, Facts: payload.MediaFollowUps.Count + payload.Reactions.Count, Chunks: payload.Chunks.Count,
            Quarantined: payload.Quarantined.Count, TableBatches: batches);
    }

    private async Task<ProcessingResult> ProcessContactsAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = ContactSyncPayloadParser.Parse(value, message.ReceivedAt);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);
        await contacts.ApplyAsync(message.Number, payload.Actions, cancellationToken);
        await KeepPeopleTogetherAsync(message.Number, new IdentityFacts([], payload.Actions, false), cancellationToken);
        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Contacts: payload.Actions.Count, Quarantined: payload.Quarantined.Count);
    }

    private async Task<ProcessingResult> ProcessEchoesAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = MessageEchoesPayloadParser.Parse(value);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);
        var write = await messages.WriteMessagesAsync(message.Number, payload.Messages, cancellationToken);
        await messages.ApplyFactsAsync(message.Number, payload.Facts, cancellationToken);
        await QueueMediaJobsAsync(message, payload.Messages, [.. payload.Facts, .. write.AppliedMediaFollowUps ?? []], cancellationToken);
        var batches = write.Batches
                      + await KeepPeopleTogetherAsync(message.Number, new IdentityFacts(payload.Messages, [], write.ReachedSupersededChat), cancellationToken);
        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Messages: payload.Messages.Count, Facts: payload.Facts.Count, Quarantined: payload.Quarantined.Count, TableBatches: batches);
    }

    private async Task<ProcessingResult> ProcessMessagesAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = MessagesPayloadParser.Parse(value, message.Display);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);
        var write = await messages.WriteMessagesAsync(message.Number, payload.Messages, cancellationToken);
        await messages.ApplyFactsAsync(message.Number, payload.Facts, cancellationToken);
        await QueueMediaJobsAsync(message, payload.Messages, [.. payload.Facts, .. write.AppliedMediaFollowUps ?? []], cancellationToken);
        var batches = write.Batches + await KeepPeopleTogetherAsync(message.Number,
            new IdentityFacts(payload.Messages, [], write.ReachedSupersededChat, payload.Changes, payload.Links), cancellationToken);
        batches += await statuses.RecordAsync(message.Number, payload.Statuses, cancellationToken);
        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Messages: payload.Messages.Count, Facts: payload.Facts.Count, Statuses: payload.Statuses.Count, Quarantined: payload.Quarantined.Count,
            TableBatches: batches);
    }

    /// <summary>
    /// Once the rows are written: one media job per media object of the change (a message's own, a history follow-up's),
    /// sent in parallel; nothing when the number's media are not archived or the change has none (docs/media.md). Its id
    /// expires <see cref="MediaOptions.IdLifetime"/> after the webhook's receipt.
    /// </summary>
    private async Task QueueMediaJobsAsync(ChangeMessage message, IEnumerable<ChatMessage> written, IEnumerable<MessageFact> facts,
        CancellationToken cancellationToken)
    {
        if (mediaJobs is null || media is null || !media.Archives(message.Number)) return;
        List<MediaJob>? jobs = null;
        var now = time.GetUtcNow();
        var notAfter = message.ReceivedAt + media.IdLifetime;
        void Add(string messageId, MediaInfo? info)
        {
            if (info?.Id is { Length: > 0 }) (jobs ??= []).Add(MediaJob.For(message.Number, messageId, info, now, notAfter));
        }
        foreach (var m in written) Add(m.Id, m.Media);
        foreach (var fact in facts)
            if (fact is MediaFollowUp followUp) Add(followUp.MessageId, followUp.Media);
        if (jobs is null) return;
        var distinct = jobs.DistinctBy(j => (j.MessageId, j.MediaId)).ToList();
        await mediaJobs.SendAsync(distinct, TimeSpan.Zero, cancellationToken);
        CoexistenceTelemetry.MediaJobsQueued.Add(distinct.Count);
    }

    /// <summary>What a change told of its customers' identities, once its rows are written.</summary>
    private sealed record IdentityFacts(IEnumerable<ChatMessage> Written, IReadOnlyList<ContactAction> Actions, bool ReachedSupersededChat,
        IReadOnlyList<IdentityChange>? Changes = null, IReadOnlyList<IdentityLink>? StatedLinks = null);

    /// <summary>
    /// After the rows are written: the links and changes of number or user id they state are recorded, and when there is
    /// one, a person known only by user id, or a write to a chat a change left, the chats and contacts are reconciled
    /// (<see cref="IdentityStore"/>). Items with phones only (all data before 2026) cost nothing here. Returns the
    /// table batches used for links and changes.
    /// </summary>
    private async Task<int> KeepPeopleTogetherAsync(string phoneNumberId, IdentityFacts facts, CancellationToken cancellationToken)
    {
        var links = IdentityLink.Of(facts.Written, facts.Actions, facts.StatedLinks ?? []);
        var changes = facts.Changes ?? [];
        var byUserIdOnly = facts.Written.Any(m => !CustomerIdentity.IsPhoneId(m.ChatId)) || facts.Actions.Any(a => a.PhoneNumber is null);
        if (links.Count == 0 && changes.Count == 0 && !byUserIdOnly && !facts.ReachedSupersededChat) return 0;
        var batches = await identities.RecordLinksAsync(phoneNumberId, links, cancellationToken)
                      + await identities.RecordChangesAsync(phoneNumberId, changes, cancellationToken);
        await identities.ReconcileAsync(phoneNumberId, cancellationToken);
        return batches;
    }

    private async Task<ProcessingResult> RejectAsync(ChangeMessage? message, ReadOnlyMemory<byte> queueMessage, string reason,
        CancellationToken cancellationToken)
    {
        var changeId = message?.ChangeId ?? IdOfUnreadable(queueMessage);
        logger.LogError("Change message {ChangeId} for {PhoneNumberId} can never be processed: {Reason}", changeId, message?.PhoneNumberId, reason);
        await quarantine.RecordChangeAsync(message?.PhoneNumberId, changeId, reason, Encoding.UTF8.GetString(queueMessage.Span), cancellationToken);
        return ProcessingResult.Rejected(reason, message?.Kind, message?.PhoneNumberId);
    }
}
