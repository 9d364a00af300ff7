namespace Coexistence.Operations;

/// <summary>
/// The retention that applies to one number: its own days when its registry row names them (<c>TableRetentionDays</c>,
/// <c>ArchiveRetentionDays</c> of the Numbers table), else the settings'. Days of 0 keep forever. An erased number is
/// left to its erasure.
/// </summary>
/// <param name="TableDaysOverride">The registry row's value; null when the number has none (the default applies).</param>
public sealed record NumberRetention(string PhoneNumberId, int TableDays, int? TableDaysOverride, int ArchiveDays, int? ArchiveDaysOverride, bool Erased);
