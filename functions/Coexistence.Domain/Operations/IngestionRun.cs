using Coexistence.Intake;
using Coexistence.Media;
using Coexistence.Processing;
using Coexistence.Queueing;

namespace Coexistence.Operations;

/// <summary>
/// Many bodies received through the intake, one after another, with the Storage queues drained through the
/// consumers every <see cref="DrainEvery"/> accepted bodies (<see cref="DrainIfDueAsync"/>, after each body) and once
/// more at <see cref="FinishAsync"/>, so that the queues stay short on long runs: what <c>coexistence ingest</c> and
/// re-ingestion share. Each drain then runs the media jobs the changes queued (docs/media.md); a job put off for later
/// (a retry, a throttling pause) stays queued. One run per use; its settings are set before the first body.
/// </summary>
public sealed class IngestionRun
{
    /// <summary>Keeps the queues short on big inputs; every accepted body is processed before the run finishes either way.</summary>
    public const int DrainEvery = 100;

    private readonly WebhookIntake intake;
    private readonly StorageQueueDrainer drainer;
    private readonly MediaQueueDrainer media;
    private readonly List<ProcessingResult> results = [];
    private readonly List<MediaOutcome> mediaOutcomes = [];
    private int acceptedSinceDrain;

    internal IngestionRun(WebhookIntake intake, StorageQueueDrainer drainer, MediaQueueDrainer media, IntakeOptions options) =>
        (this.intake, this.drainer, this.media, MaxBodyBytes) = (intake, drainer, media, options.MaxBodyBytes);

    /// <summary>The intake's limit (<c>Intake:MaxBodyBytes</c>): a longer body is refused with 413 (<see cref="Webhooks.WebhookProblems.TooLarge"/>).</summary>
    public int MaxBodyBytes { get; }

    /// <summary>False: receive only, and leave the queued changes to the Function App (nothing is drained).</summary>
    public bool Drain { get; set; } = true;

    /// <summary>
    /// True: queue every accepted body's changes, even those an earlier delivery of the same body queued already
    /// (re-ingestion). False (the default): such a body is a duplicate and nothing is queued again.
    /// </summary>
    public bool RequeueKnownBodies { get; init; }

    /// <summary>Called before each drain.</summary>
    public Action? OnDraining { get; set; }

    /// <summary>Called after each drain with what it processed.</summary>
    public Action<IReadOnlyList<ProcessingResult>>? OnDrained { get; set; }

    /// <summary>Every queue message processed so far.</summary>
    public IReadOnlyList<ProcessingResult> Results => results;

    /// <summary>What every media job run so far came to (none unless the settings archive media).</summary>
    public IReadOnlyList<MediaOutcome> MediaOutcomes => mediaOutcomes;

    /// <summary>One body through the intake (<paramref name="receivedAt"/>: its first receipt, for a re-ingest; null: now).</summary>
    public async Task<IntakeResult> ReceiveAsync(ReadOnlyMemory<byte> body, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        var result = await intake.ReceiveAsync(body, receivedAt, cancellationToken, RequeueKnownBodies);
        if (result.Outcome == IntakeOutcome.Accepted) acceptedSinceDrain++;
        return result;
    }

    /// <summary>Drains the queues when <see cref="DrainEvery"/> bodies were accepted since the last drain (and <see cref="Drain"/> is on).</summary>
    public async Task DrainIfDueAsync(CancellationToken cancellationToken)
    {
        if (Drain && acceptedSinceDrain >= DrainEvery) await DrainNowAsync(cancellationToken);
    }

    /// <summary>Drains what is still queued (unless <see cref="Drain"/> is false).</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (Drain) await DrainNowAsync(cancellationToken);
    }

    private async Task DrainNowAsync(CancellationToken cancellationToken)
    {
        OnDraining?.Invoke();
        var drained = await drainer.DrainAsync(cancellationToken);
        results.AddRange(drained);
        mediaOutcomes.AddRange(await media.DrainAsync(cancellationToken));
        acceptedSinceDrain = 0;
        OnDrained?.Invoke(drained);
    }
}
