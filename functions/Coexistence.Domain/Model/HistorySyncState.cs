namespace Coexistence.Model;

/// <summary>
/// Where a number's history sync stands. <see cref="Completing"/>: a chunk said progress 100, but chunks below the highest
/// chunk order are still missing (chunks arrive in any order).
/// </summary>
internal enum HistorySyncState { NotStarted, InProgress, Completing, Completed, Declined }
