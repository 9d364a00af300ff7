namespace Coexistence.Operations;

/// <summary>What a dead-letter re-drive did.</summary>
public sealed record DeadLetterRedriveSummary(int Redriven, int Left);
