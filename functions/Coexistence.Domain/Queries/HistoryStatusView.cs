using System.Text.Json.Serialization;
using Coexistence.Model;

namespace Coexistence.Queries;

/// <summary>A number's history sync as <c>show history --json</c> and the read API give it (docs/cli.md, docs/api.md).</summary>
/// <param name="State"><c>not_started</c>, <c>in_progress</c>, <c>completing</c> (progress 100 reached, chunks missing), <c>completed</c> or <c>declined</c>.</param>
/// <param name="Phases">The phases received, lowest first.</param>
/// <param name="MissingChunks">Chunk orders below the highest received that have not arrived.</param>
/// <param name="Placeholders">Null where it is not counted (<c>coexistence status</c>, which lists every number).</param>
public sealed record HistoryStatusView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("progress")] long Progress,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("error")] HistoryErrorView? Error,
    [property: JsonPropertyName("phases")] IReadOnlyList<HistoryPhaseView> Phases,
    [property: JsonPropertyName("missingChunks")] IReadOnlyList<MissingChunkView> MissingChunks,
    [property: JsonPropertyName("placeholders")] PlaceholdersView? Placeholders)
{
    internal static HistoryStatusView From(HistorySyncStatus status) => new(
        status.State switch
        {
            HistorySyncState.InProgress => "in_progress",
            HistorySyncState.Completing => "completing",
            HistorySyncState.Completed => "completed",
            HistorySyncState.Declined => "declined",
            _ => "not_started",
        },
        status.Progress, status.Chunks, status.Error is { } e ? new HistoryErrorView(e.Code, e.Message) : null,
        [.. (status.Phases ?? []).Select(p => new HistoryPhaseView(p.Phase, p.Chunks, p.FirstChunkOrder, p.LastChunkOrder))],
        [.. (status.Gaps ?? []).Select(g => new MissingChunkView(g.Phase, g.ChunkOrder))],
        status.Placeholders is { } p ? new PlaceholdersView(p.AwaitingMedia, p.TooOldForMedia) : null);
}
