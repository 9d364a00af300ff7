namespace Coexistence.Model;

/// <summary>Where a number's history sync stands.</summary>
internal enum HistorySyncState { NotStarted, InProgress, Completed, Declined }
