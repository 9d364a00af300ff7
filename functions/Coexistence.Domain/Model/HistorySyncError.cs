namespace Coexistence.Model;

/// <summary>Why a history sync was declined: the error's code and text as the <c>history</c> webhook gave them.</summary>
internal sealed record HistorySyncError(long? Code, string? Message);
