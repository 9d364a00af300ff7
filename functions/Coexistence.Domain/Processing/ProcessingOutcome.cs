namespace Coexistence.Processing;

public enum ProcessingOutcome
{
    /// <summary>Every usable item is in the tables (bad items quarantined): complete the message.</summary>
    Processed,
    /// <summary>The message can never succeed (unreadable, claim check gone): dead-letter / poison it with the reason.</summary>
    Rejected,
}
