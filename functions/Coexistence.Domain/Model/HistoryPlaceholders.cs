namespace Coexistence.Model;

/// <summary>
/// The history's media placeholders still without their media: those recent enough that a follow-up may still bring it
/// (sent at most <see cref="FollowUpWindow"/> before the sync's first chunk), and those that never will.
/// </summary>
internal sealed record HistoryPlaceholders(int AwaitingMedia, int TooOldForMedia)
{
    /// <summary>Media follow-ups come only for media of the last ~14 days before the sync (docs/data-model.md).</summary>
    public static readonly TimeSpan FollowUpWindow = TimeSpan.FromDays(14);
}
