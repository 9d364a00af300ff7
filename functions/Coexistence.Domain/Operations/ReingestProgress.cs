namespace Coexistence.Operations;

/// <summary>Where a re-ingest stands, for a progress display.</summary>
public readonly record struct ReingestProgress(int BodiesDone, int BodiesTotal, bool Draining);
