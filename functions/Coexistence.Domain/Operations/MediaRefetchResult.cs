using Coexistence.Media;

namespace Coexistence.Operations;

/// <summary>
/// What <see cref="MediaRefetch"/> found among the media objects of a number's stored messages (archived already, left
/// alone for a recorded failure, queued again) and, when it ran the media queue, what each job run came to.
/// </summary>
public sealed record MediaRefetchResult(int Media, int Archived, int FailedLeftAlone, int Queued, IReadOnlyList<MediaOutcome>? Outcomes);
