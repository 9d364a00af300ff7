using Coexistence.Model;

namespace Coexistence.Changes;

/// <summary>
/// One media file to download into the archive (docs/queue-messages.md, "Media jobs"): the message's wamid, the provider's
/// media id and what the webhook said of the file, and <see cref="NotAfter"/>, when the provider's id expires.
/// <see cref="Attempt"/> counts the transient failures so far (0 for a new job). The same wamid and media id give the same outcome.
/// </summary>
internal sealed record MediaJob(int Version, string PhoneNumberId, string MessageId, string MediaId, string? MimeType, string? Sha256,
    DateTimeOffset QueuedAt, DateTimeOffset NotAfter, int Attempt = 0)
{
    public const int CurrentVersion = 1;

    /// <summary>A new job (attempt 0) for a media object that has an id.</summary>
    public static MediaJob For(string phoneNumberId, string messageId, MediaInfo media, DateTimeOffset queuedAt, DateTimeOffset notAfter) =>
        new(CurrentVersion, phoneNumberId, messageId, media.Id!, media.MimeType, media.Sha256, queuedAt, notAfter);
}
