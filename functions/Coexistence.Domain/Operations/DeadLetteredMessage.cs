using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>One message in a Service Bus queue's dead-letter sub-queue, with the broker's or the consumer's reason.</summary>
public sealed record DeadLetteredMessage(
    WebhookKind Kind,
    string ChangeId,
    long SequenceNumber,
    string? PhoneNumberId,
    string? WebhookId,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset EnqueuedAt,
    int DeliveryCount,
    string? Reason,
    string? ErrorDescription);
