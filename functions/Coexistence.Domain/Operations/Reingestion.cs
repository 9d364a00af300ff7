using System.Globalization;
using Azure.Storage.Blobs.Models;
using Coexistence.Archive;
using Coexistence.Intake;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>
/// Rebuilds a number's rows from the raw archive: every body archived under
/// <c>{phone_number_id}/{yyyy}/{MM}/{dd}/</c> for the days asked goes through the intake again
/// (<see cref="WebhookIntake"/>, with its original time of receipt) and the queues are drained through
/// the consumers (an <see cref="IngestionRun"/>). Every write downstream is idempotent, so a re-ingest over rows
/// that exist changes nothing, and one over lost or wrong rows puts back what the bodies say. After draining,
/// the number's chat summaries are recounted from its rows (<see cref="MessageStore.RecountAllChatsAsync"/>).
/// </summary>
public sealed class Reingestion
{
    private readonly StorageClients storage;
    private readonly RawArchive archive;
    private readonly WebhookIntake intake;
    private readonly StorageQueueDrainer drainer;
    private readonly MediaQueueDrainer media;
    private readonly MessageStore messages;
    private readonly IntakeOptions options;

    internal Reingestion(StorageClients storage, RawArchive archive, WebhookIntake intake, StorageQueueDrainer drainer, MediaQueueDrainer media,
        MessageStore messages, IntakeOptions options) =>
        (this.storage, this.archive, this.intake, this.drainer, this.media, this.messages, this.options) =
            (storage, archive, intake, drainer, media, messages, options);

    /// <summary>
    /// The archived bodies of one number received on the days <paramref name="from"/>..<paramref name="to"/> (UTC, inclusive),
    /// in name order per day.
    /// </summary>
    public async Task<IReadOnlyList<(string Name, DateTimeOffset? ReceivedAt)>> FindAsync(string phoneNumberId, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var container = storage.Container(storage.Names.RawArchiveContainer);
        var found = new List<(string, DateTimeOffset?)>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{phoneNumberId}/{day:yyyy}/{day:MM}/{day:dd}/");
            var names = new List<(string, DateTimeOffset?)>();
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
                names.Add((blob.Name, RawArchive.ReceivedAtOf(blob.Metadata)));
            found.AddRange(names.OrderBy(n => n.Item1, StringComparer.Ordinal));
        }
        return found;
    }

    public async Task<ReingestSummary> RunAsync(string phoneNumberId, DateOnly from, DateOnly to, bool drain, IProgress<ReingestProgress>? progress,
        CancellationToken cancellationToken)
    {
        var blobs = await FindAsync(phoneNumberId, from, to, cancellationToken);
        var bodies = new List<ReingestedBody>();
        var run = new IngestionRun(intake, drainer, media, options)
        {
            Drain = drain,
            RequeueKnownBodies = true, // the point of a re-ingest: process the archived bodies again
            OnDraining = () => progress?.Report(new ReingestProgress(bodies.Count, blobs.Count, Draining: true)),
        };
        foreach (var (name, receivedAt) in blobs)
        {
            var body = await archive.ReadAsync(name, cancellationToken);
            var result = await run.ReceiveAsync(body.ToMemory(), receivedAt, cancellationToken);
            if (result.Outcome is IntakeOutcome.Unavailable or IntakeOutcome.Failed)
                throw new InvalidOperationException($"storage did not accept the archived body {name}: {result.Problem?.Detail}");
            bodies.Add(new ReingestedBody(name, result.Outcome, result.Problem?.Code));
            progress?.Report(new ReingestProgress(bodies.Count, blobs.Count, Draining: false));
            await run.DrainIfDueAsync(cancellationToken);
        }
        await run.FinishAsync(cancellationToken);
        // Writes count only the rows they create; a recount also repairs summaries of rows deleted by hand.
        if (drain) await messages.RecountAllChatsAsync(phoneNumberId, cancellationToken);
        return new ReingestSummary(bodies, run.Results, drain);
    }
}
