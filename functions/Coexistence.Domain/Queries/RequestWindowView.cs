using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The 24 hours after onboarding (unix seconds) in which the contacts and history requests can be made, once each (docs/api.md, "Number").
/// <paramref name="Pending"/>: what was not received yet and can still be asked for while the window is open (<c>history</c>,
/// <c>contacts</c>); empty once it closed.
/// </summary>
public sealed record RequestWindowView(
    [property: JsonPropertyName("opensAt")] long OpensAt,
    [property: JsonPropertyName("closesAt")] long ClosesAt,
    [property: JsonPropertyName("open")] bool Open,
    [property: JsonPropertyName("historyReceived")] bool HistoryReceived,
    [property: JsonPropertyName("contactsReceived")] bool ContactsReceived,
    [property: JsonPropertyName("pending")] IReadOnlyList<string> Pending);
