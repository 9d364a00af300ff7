using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>
/// One message in a poison queue (Storage-queue transport), with what it says about itself and the
/// reason the consumer recorded in the Quarantine table (<c>change|{changeId}</c>). No reason means
/// the Functions host moved it after <c>maxDequeueCount</c> failed attempts (transient failures: see the logs).
/// </summary>
public sealed record PoisonMessage(
    WebhookKind Kind,
    string ChangeId,
    string QueueMessageId,
    string? PhoneNumberId,
    string? WebhookId,
    string? EventId,
    DateTimeOffset? ReceivedAt,
    DateTimeOffset? PoisonedAt,
    string? Reason,
    DateTimeOffset? ReasonRecordedAt);
