namespace Coexistence.Cli;

/// <summary>The totals of an ingest run; the last line printed.</summary>
internal sealed record IngestSummary(int Accepted, int Rejected, int Messages, int Contacts, int Chunks, int Quarantined, int Poisoned)
{
    public int ExitCode => Rejected > 0 || Poisoned > 0 ? ExitCodes.RejectedOrUsage : ExitCodes.Success;

    public string Line =>
        $"summary: accepted {Accepted}, rejected {Rejected}, messages {Messages}, contacts {Contacts}, chunks {Chunks}, "
            + $"quarantined {Quarantined}, poisoned {Poisoned}";
}
