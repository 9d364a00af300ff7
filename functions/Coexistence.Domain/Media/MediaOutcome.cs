namespace Coexistence.Media;

/// <summary>What a media job came to (docs/media.md, "Outcomes").</summary>
public enum MediaOutcome
{
    /// <summary>Downloaded, verified and stored; the row names the blob.</summary>
    Archived,
    /// <summary>Stored before (the row names the blob, or the blob is there with its hash): nothing downloaded.</summary>
    AlreadyArchived,
    /// <summary>Past its id's expiry: recorded as a failure, no request made.</summary>
    Expired,
    /// <summary>A permanent failure: recorded on the row and in the Quarantine table, not retried.</summary>
    Failed,
    /// <summary>A transient failure (or the message is not stored yet): a copy of the job is queued for later.</summary>
    Retried,
    /// <summary>The provider's throttling paused downloads: the job is queued again for when the pause ends, no request made.</summary>
    Throttled,
    /// <summary>Not a media job: recorded in the Quarantine table.</summary>
    Unreadable,
    /// <summary>The number's media are not archived (no provider in the settings): the job is dropped.</summary>
    Disabled,
    /// <summary>The number was erased after the job was queued: the job is dropped, nothing requested.</summary>
    Erased,
}
