namespace Coexistence.Operations;

/// <summary>One run of <see cref="RetentionSweep"/>: when, whether anything was deleted, and what per number.</summary>
/// <param name="Unrouted">Quarantine's <c>unroutable</c> rows and the archive's <c>unrouted/</c> folder; null when one number was swept.</param>
public sealed record RetentionRun(bool DryRun, DateTimeOffset At, IReadOnlyList<NumberRetentionResult> Numbers, UnroutedRetentionResult? Unrouted);
