namespace Coexistence.Operations;

/// <summary>
/// The answer to <c>coexistence erase</c>: the outcome, the counts (what was, or would be, removed), and the record
/// (null for a dry run and for unknown numbers and customers). <see cref="Resumed"/>: the run continued an erasure that
/// had stopped half-way (the record said <c>erasing</c>), keeping its <c>ErasedAt</c>.
/// </summary>
public sealed record ErasureResult(ErasureOutcome Outcome, ErasureCounts Counts, ErasureRecord? Record, bool Resumed = false);
