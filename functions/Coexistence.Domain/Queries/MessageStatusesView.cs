using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The statuses received for one wamid, whether or not the message is stored (a message the partner's own app sent
/// through the API never arrives as an echo): <c>GET numbers/{phoneNumberId}/statuses?wamid=</c>.
/// </summary>
public sealed record MessageStatusesView(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("recipientId")] string? RecipientId,
    [property: JsonPropertyName("recipientUserId")] string? RecipientUserId,
    [property: JsonPropertyName("messageStored")] bool MessageStored,
    [property: JsonPropertyName("delivery")] DeliveryView Delivery);
