using Coexistence.Intake;

namespace Coexistence.Operations;

/// <summary>One archived body re-run through the door.</summary>
public sealed record ReingestedBody(string ArchiveBlob, IntakeOutcome Outcome, string? ProblemCode);
