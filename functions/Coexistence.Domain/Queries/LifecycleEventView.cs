using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>One lifecycle event of a number (docs/api.md, "Number"): as the <c>account_update</c> named it; <c>occurredAt</c> in unix seconds.</summary>
public sealed record LifecycleEventView(
    [property: JsonPropertyName("event")] string? Event,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("initiatedBy")] string? InitiatedBy,
    [property: JsonPropertyName("occurredAt")] long OccurredAt);
