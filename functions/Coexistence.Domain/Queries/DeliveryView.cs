using System.Text.Json.Serialization;
using Coexistence.Model;

namespace Coexistence.Queries;

/// <summary>
/// Where a message the business sent stands (docs/data-model.md, "Statuses"): the current status (the highest of
/// sent &lt; delivered &lt; read &lt; failed that arrived, at its earliest time, with its error) and every status received, in time order.
/// </summary>
public sealed record DeliveryView(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("error")] ErrorView? Error,
    [property: JsonPropertyName("statuses")] IReadOnlyList<StatusView> Statuses)
{
    /// <summary>By value, statuses included (a record compares a list by reference).</summary>
    public bool Equals(DeliveryView? other) =>
        other is not null && Status == other.Status && Timestamp == other.Timestamp && Equals(Error, other.Error) && Statuses.SequenceEqual(other.Statuses);

    public override int GetHashCode() => HashCode.Combine(Status, Timestamp, Error, Statuses.Count);

    internal static DeliveryView? From(DeliveryState? state) =>
        state is null ? null : new DeliveryView(state.Current.Status, state.Current.Timestamp, ErrorOf(state.Current),
            state.Statuses.Select(s => new StatusView(s.Status, s.Timestamp, ErrorOf(s))).ToList());

    private static ErrorView? ErrorOf(MessageStatus status) =>
        status.Error is { } e ? new ErrorView(e.Code, e.Title, e.Message, e.Details) : null;
}
