using System.Globalization;
using Azure.Storage.Blobs.Models;
using Coexistence.Intake;
using Coexistence.Processing;

namespace Coexistence.Operations;

/// <summary>One archived body re-run through the door.</summary>
public sealed record ReingestedBody(string ArchiveBlob, IntakeOutcome Outcome, string? ProblemCode);

/// <summary>Where a re-ingest stands, for a progress display.</summary>
public readonly record struct ReingestProgress(int BodiesDone, int BodiesTotal, bool Draining);

/// <summary>The totals of a re-ingest.</summary>
public sealed record ReingestSummary(IReadOnlyList<ReingestedBody> Bodies, IReadOnlyList<ProcessingResult> Results, bool Drained)
{
    public int Accepted => Bodies.Count(b => b.Outcome == IntakeOutcome.Accepted);
    public int Rejected => Bodies.Count(b => b.Outcome == IntakeOutcome.Rejected);
    public int Messages => Results.Sum(r => r.Messages);
    public int Contacts => Results.Sum(r => r.Contacts);
    public int Chunks => Results.Sum(r => r.Chunks);
    public int Quarantined => Results.Sum(r => r.Quarantined);
    public int Poisoned => Results.Count(r => r.Outcome == ProcessingOutcome.Rejected);
}

/// <summary>
/// Rebuilds a number's rows from the raw archive: every body archived under
/// <c>{phone_number_id}/{yyyy}/{MM}/{dd}/</c> for the days asked goes through the door again
/// (<see cref="WebhookIntake"/>, with its original time of receipt) and the queues are drained through
/// the consumers. Every write downstream is idempotent, so a re-ingest over rows that exist changes
/// nothing, and one over lost or wrong rows puts back what the bodies say. After draining, the number's
/// chat summaries are recounted from its rows (<see cref="Storage.MessageStore.RecountAllChatsAsync"/>).
/// </summary>
public sealed class Reingestion(Pipeline pipeline)
{
    /// <summary>Keeps the queues short on long ranges, like the CLI's ingest.</summary>
    public const int DrainEvery = 100;

    /// <summary>The archived bodies of one number received on the days <paramref name="from"/>..<paramref name="to"/> (UTC, inclusive), in name order per day.</summary>
    public async Task<IReadOnlyList<(string Name, DateTimeOffset? ReceivedAt)>> FindAsync(string phoneNumberId, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var container = pipeline.Storage.Container(pipeline.Storage.Names.RawArchiveContainer);
        var found = new List<(string, DateTimeOffset?)>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{phoneNumberId}/{day:yyyy}/{day:MM}/{day:dd}/");
            var names = new List<(string, DateTimeOffset?)>();
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
                names.Add((blob.Name, ReceivedAtOf(blob)));
            found.AddRange(names.OrderBy(n => n.Item1, StringComparer.Ordinal));
        }
        return found;
    }

    public async Task<ReingestSummary> RunAsync(string phoneNumberId, DateOnly from, DateOnly to, bool drain, IProgress<ReingestProgress>? progress,
        CancellationToken cancellationToken)
    {
        var blobs = await FindAsync(phoneNumberId, from, to, cancellationToken);
        var bodies = new List<ReingestedBody>();
        var results = new List<ProcessingResult>();
        var sinceDrain = 0;
        foreach (var (name, receivedAt) in blobs)
        {
            var body = await pipeline.Archive.ReadAsync(name, cancellationToken);
            var result = await pipeline.Intake.ReceiveAsync(body.ToMemory(), receivedAt, cancellationToken);
            if (result.Outcome == IntakeOutcome.Unavailable)
                throw new InvalidOperationException($"storage did not accept the archived body {name}: {result.Problem?.Detail}");
            bodies.Add(new ReingestedBody(name, result.Outcome, result.Problem?.Code));
            progress?.Report(new ReingestProgress(bodies.Count, blobs.Count, Draining: false));
            if (drain && result.Outcome == IntakeOutcome.Accepted && ++sinceDrain >= DrainEvery)
            {
                progress?.Report(new ReingestProgress(bodies.Count, blobs.Count, Draining: true));
                results.AddRange(await pipeline.Drainer.DrainAsync(cancellationToken));
                sinceDrain = 0;
            }
        }
        if (drain)
        {
            progress?.Report(new ReingestProgress(bodies.Count, blobs.Count, Draining: true));
            results.AddRange(await pipeline.Drainer.DrainAsync(cancellationToken));
            // Writes count only the rows they create; a recount also repairs summaries of rows deleted by hand.
            await pipeline.Messages.RecountAllChatsAsync(phoneNumberId, cancellationToken);
        }
        return new ReingestSummary(bodies, results, drain);
    }

    /// <summary>The archive's <c>receivedAt</c> metadata (the first receipt), so a rebuilt registry keeps the original day and times.</summary>
    private static DateTimeOffset? ReceivedAtOf(BlobItem blob) => RawArchive.ReceivedAtOf(blob.Metadata);
}
