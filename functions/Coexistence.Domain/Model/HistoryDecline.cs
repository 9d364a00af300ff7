namespace Coexistence.Model;

/// <summary>A <c>history</c> item that declines the sync (<c>history[].errors</c>): its first error.</summary>
internal sealed record HistoryDecline(long? Code, string? Title, string? Message, string? Details);
