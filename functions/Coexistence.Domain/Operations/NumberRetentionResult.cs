namespace Coexistence.Operations;

/// <summary>
/// What retention deleted of one number (or, in a dry run, would delete): rows per kind and archive blobs.
/// </summary>
/// <param name="Skipped">Why the number was left alone (<c>erased</c>: its erasure deals with it); null when it was swept.</param>
/// <param name="TableDays">The days that applied to its table rows; 0: kept forever.</param>
/// <param name="ArchiveDays">The days that applied to its archive; 0: kept forever.</param>
/// <param name="Messages">Chat rows (<c>c|</c>) of messages sent before the cut-off.</param>
/// <param name="IndexRows">Their wamid index rows (<c>m|</c>).</param>
/// <param name="Facts">Pending facts (<c>p|</c>) of those messages, and of messages never stored, older than the cut-off.</param>
/// <param name="Statuses">Status rows (<c>d|</c>) of those messages, and of messages never stored, older than the cut-off.</param>
/// <param name="Quarantine">Quarantine rows of the number received (or recorded) before the cut-off.</param>
/// <param name="Chats">Chats that lost messages, whose summaries were recounted.</param>
/// <param name="EmptiedChats">Of those, chats left without messages (their summary deleted unless superseded).</param>
/// <param name="Blobs">Raw archive blobs of day folders before the archive cut-off.</param>
public sealed record NumberRetentionResult(
    string PhoneNumberId,
    string? Skipped,
    int TableDays,
    int ArchiveDays,
    int Messages,
    int IndexRows,
    int Facts,
    int Statuses,
    int Quarantine,
    int Chats,
    int EmptiedChats,
    int Blobs)
{
    public const string SkippedErased = "erased";

    public static NumberRetentionResult Erased(string phoneNumberId) => new(phoneNumberId, SkippedErased, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
