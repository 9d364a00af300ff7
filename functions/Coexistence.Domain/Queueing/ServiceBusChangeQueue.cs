using Azure.Messaging.ServiceBus;
using Coexistence.Changes;
using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// Sends change messages to one Service Bus queue per kind (the production transport). The
/// <c>MessageId</c> is derived from the body and change, so the queue's duplicate detection drops
/// a provider's retry of the same webhook. Returns once the broker has accepted the message.
/// </summary>
internal sealed class ServiceBusChangeQueue(ServiceBusSenders senders) : IChangeQueue
{
    /// <summary>Standard tier takes 256 KB per message including properties; keep well below.</summary>
    public const int DefaultClaimCheckThresholdBytes = 200_000;

    /// <summary>
    /// The largest <c>Intake:ClaimCheckThresholdBytes</c> accepted at start-up with this transport: Service Bus Standard
    /// takes 256 KB (262,144 bytes) per message including its headers and properties; the rest is left for those (ours,
    /// a retry copy's and a dead-letter reason's: a few hundred bytes).
    /// </summary>
    public const int MaxClaimCheckThresholdBytes = 250_000;

    public Task SendAsync(ChangeMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        senders.For(message.Kind).SendMessageAsync(CreateMessage(message, body), cancellationToken);

    /// <summary>The broker message for a change: body = the queue message JSON, properties for routing and filtering.</summary>
    public static ServiceBusMessage CreateMessage(ChangeMessage message, ReadOnlyMemory<byte> body)
    {
        var sbMessage = new ServiceBusMessage(BinaryData.FromBytes(body))
        {
            MessageId = message.ChangeId,
            ContentType = "application/json",
            Subject = message.Kind.ToField(),
        };
        sbMessage.ApplicationProperties["version"] = ChangeMessage.Version;
        sbMessage.ApplicationProperties["kind"] = message.Kind.ToField();
        if (message.PhoneNumberId is not null) sbMessage.ApplicationProperties["phoneNumberId"] = message.PhoneNumberId;
        sbMessage.ApplicationProperties["receivedAt"] = message.ReceivedAt.UtcDateTime;
        if (message.PayloadRange is { } range)
        {
            sbMessage.ApplicationProperties["archiveBlob"] = message.ArchiveBlob;
            sbMessage.ApplicationProperties["payloadOffset"] = range.Offset;
            sbMessage.ApplicationProperties["payloadLength"] = range.Length;
        }
        return sbMessage;
    }
}
