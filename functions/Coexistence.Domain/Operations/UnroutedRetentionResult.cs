namespace Coexistence.Operations;

/// <summary>
/// What retention deleted (or would delete) of what names no number, under the settings' days: Quarantine's
/// <c>unroutable</c> rows (table days) and the archive's <c>unrouted/</c> day folders (archive days).
/// </summary>
public sealed record UnroutedRetentionResult(int TableDays, int ArchiveDays, int Quarantine, int Blobs);
