using Coexistence.Processing;

namespace Coexistence.Operations;

/// <summary>What a re-drive did: messages moved back to their queue, and (when drained here) how the drain went.</summary>
public sealed record RedriveSummary(int Redriven, bool Drained, int Processed, int PoisonedAgain, IReadOnlyList<ProcessingResult> Results);
