using Coexistence.Intake;
using Coexistence.Processing;

namespace Coexistence.Operations;

/// <summary>The totals of a re-ingest.</summary>
public sealed record ReingestSummary(IReadOnlyList<ReingestedBody> Bodies, IReadOnlyList<ProcessingResult> Results, bool Drained)
{
    public int Accepted => Bodies.Count(b => b.Outcome == IntakeOutcome.Accepted);
    public int Rejected => Bodies.Count(b => b.Outcome == IntakeOutcome.Rejected);
    public int Messages => Results.Sum(r => r.Messages);
    public int Contacts => Results.Sum(r => r.Contacts);
    public int Chunks => Results.Sum(r => r.Chunks);
    public int Quarantined => Results.Sum(r => r.Quarantined);
    public int Poisoned => Results.Count(r => r.Outcome == ProcessingOutcome.Rejected);
}
