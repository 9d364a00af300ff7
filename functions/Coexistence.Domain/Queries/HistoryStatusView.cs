using System.Text.Json.Serialization;
using Coexistence.Model;

namespace Coexistence.Queries;

/// <summary>A number's history sync as <c>show history --json</c> and the read API give it (docs/cli.md, docs/api.md).</summary>
/// <param name="State"><c>not_started</c>, <c>in_progress</c>, <c>completed</c> or <c>declined</c>.</param>
public sealed record HistoryStatusView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("progress")] long Progress,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("error")] HistoryErrorView? Error)
{
    internal static HistoryStatusView From(HistorySyncStatus status) => new(
        status.State switch
        {
            HistorySyncState.InProgress => "in_progress",
            HistorySyncState.Completed => "completed",
            HistorySyncState.Declined => "declined",
            _ => "not_started",
        },
        status.Progress, status.Chunks, status.Error is { } e ? new HistoryErrorView(e.Code, e.Message) : null);
}
