namespace Coexistence.Changes;

/// <summary>Where media jobs go: the media Storage queue (docs/media.md). Returns once every job is accepted.</summary>
internal interface IMediaJobQueue
{
    /// <param name="delay">How long the jobs stay invisible (a retry's back-off); zero for new jobs.</param>
    Task SendAsync(IReadOnlyList<MediaJob> jobs, TimeSpan delay, CancellationToken cancellationToken);
}
