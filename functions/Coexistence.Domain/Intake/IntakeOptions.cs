namespace Coexistence.Intake;

/// <summary>Settings of the door (section "Intake" in configuration; see README, "Settings").</summary>
public sealed class IntakeOptions
{
    /// <summary>Bodies above this are refused with 413 while reading. Senders post at most 3 MB.</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// A queue message larger than this names its value as a byte range of the raw archive blob instead of
    /// carrying it (the archive is the claim check; queue message version 2).
    /// Storage queues take 64 KiB after Base64 (48 KiB of payload); Service Bus Standard 256 KB.
    /// </summary>
    public int ClaimCheckThresholdBytes { get; set; } = 45_000;

    public void Validate()
    {
        if (MaxBodyBytes < 1024) throw new InvalidOperationException("Intake:MaxBodyBytes must be at least 1024.");
        if (ClaimCheckThresholdBytes < 1024) throw new InvalidOperationException("Intake:ClaimCheckThresholdBytes must be at least 1024.");
    }
}
