using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// A business number as the registry knows it (docs/api.md, "Number"; <c>coexistence show number</c>): its WABA and display
/// number, first and last webhook received (unix seconds), whether it is connected, its lifecycle events (oldest first) and its request window.
/// </summary>
/// <param name="Connection"><c>connected</c> (webhooks arrive, or the latest connecting event is the latest), <c>disconnected</c>
/// (the latest of the events that disconnect or connect a number disconnects it) or <c>unknown</c> (nothing but events that say neither).</param>
/// <param name="RequestWindow">Null until a webhook of the number was processed.</param>
public sealed record NumberView(
    [property: JsonPropertyName("phoneNumberId")] string PhoneNumberId,
    [property: JsonPropertyName("wabaId")] string? WabaId,
    [property: JsonPropertyName("displayPhoneNumber")] string? DisplayPhoneNumber,
    [property: JsonPropertyName("firstSeenAt")] long? FirstSeenAt,
    [property: JsonPropertyName("lastSeenAt")] long? LastSeenAt,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("lastEvent")] LifecycleEventView? LastEvent,
    [property: JsonPropertyName("requestWindow")] RequestWindowView? RequestWindow,
    [property: JsonPropertyName("events")] IReadOnlyList<LifecycleEventView> Events);
