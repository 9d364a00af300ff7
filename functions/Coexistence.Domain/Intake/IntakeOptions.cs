namespace Coexistence.Intake;

/// <summary>Settings of the intake (section "Intake" in configuration; see README, "Settings").</summary>
internal sealed class IntakeOptions
{
    /// <summary>Bodies above this are refused with 413 while reading. Senders post at most 3 MB.</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// A queue message larger than this names its value as a byte range of the raw archive blob instead of
    /// carrying it (the archive is the claim check; docs/queue-messages.md).
    /// Storage queues take 64 KiB after Base64 (48 KiB of payload); Service Bus Standard 256 KB.
    /// </summary>
    public int ClaimCheckThresholdBytes { get; set; } = 45_000;

    /// <summary>
    /// A body with more changes (entries' changes, flattened) is refused with 413 <c>too-many-changes</c> before anything
    /// is stored. Meta and the providers batch a few changes per body; the default is far above that (docs/http-api.md).
    /// </summary>
    public int MaxChangesPerBody { get; set; } = 1_000;

    /// <summary>
    /// A body naming more distinct <c>phone_number_id</c>s is refused with 413 <c>too-many-numbers</c> before anything is
    /// stored: the archive keeps one copy of the body per number, so this bounds what one request can write.
    /// </summary>
    public int MaxNumbersPerBody { get; set; } = 100;

    /// <summary>
    /// The HTTP door answers within this many milliseconds: when storage or the queue has not finished by then (throttled,
    /// stuck, retrying), the work is cancelled and the answer is 503 with <c>Retry-After</c>, inside the senders' 5 s limit
    /// (docs/http-api.md, "503"). The CLI and re-ingestion have no deadline.
    /// </summary>
    public int AnswerWithinMilliseconds { get; set; } = 4_000;

    /// <summary>The range <see cref="AnswerWithinMilliseconds"/> must be in at start-up.</summary>
    public const int MinAnswerWithinMilliseconds = 100, MaxAnswerWithinMilliseconds = 30_000;

    /// <summary>At most this many archive uploads and queue sends of one request run at a time.</summary>
    public int MaxConcurrentWrites { get; set; } = 16;

    /// <summary>The largest <see cref="MaxConcurrentWrites"/> accepted at start-up.</summary>
    public const int ConcurrentWritesLimit = 256;
}
