namespace Coexistence.Operations;

/// <summary>
/// Settings of retention (section "Retention" in configuration; README, "Settings"; docs/operations.md, "Retention"): how
/// long table rows and raw archive bodies are kept when a number's registry row names no days of its own. 0 keeps forever.
/// </summary>
internal sealed class RetentionOptions
{
    /// <summary>Days a number's messages, their index rows, facts and statuses, and its Quarantine rows are kept; 0: forever.</summary>
    public int TableDays { get; set; }

    /// <summary>Days the raw archive's day folders are kept (by their date, the day of first receipt); 0: forever.</summary>
    public int ArchiveDays { get; set; } = DefaultArchiveDays;

    /// <summary>
    /// When the Function App's <c>ApplyRetention</c> timer runs: an NCRONTAB expression (6 fields, seconds first; 5 are
    /// accepted), UTC. The trigger reads the app setting <c>Retention__Schedule</c> itself; checked here at start-up.
    /// </summary>
    public string Schedule { get; set; } = DefaultSchedule;

    public const int DefaultArchiveDays = 365;
    public const string DefaultSchedule = "0 30 3 * * *";

    /// <summary>The most days a setting or a number's override may say (100 years).</summary>
    public const int MaxDays = 36_500;

    public static bool IsValidDays(int days) => days is >= 0 and <= MaxDays;

    /// <summary>5 or 6 fields separated by spaces: the shapes NCRONTAB takes (the host checks the fields themselves).</summary>
    public static bool IsValidSchedule(string? schedule) =>
        schedule is not null && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 5 or 6 };
}
