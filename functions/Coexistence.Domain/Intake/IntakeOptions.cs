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
}
