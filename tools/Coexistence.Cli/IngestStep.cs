namespace Coexistence.Cli;

/// <summary>Where an ingest run stands, for a progress display.</summary>
internal readonly record struct IngestStep(int FilesReceived, int FilesTotal, bool Draining);
