using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>Which poison messages a re-drive takes: all of them, one change id, or those of one number or webhook, optionally of one kind.</summary>
public sealed record PoisonSelection(WebhookKind? Kind = null, string? ChangeId = null, string? PhoneNumberId = null, string? WebhookId = null)
{
    public bool Matches(WebhookKind kind, string changeId, string? phoneNumberId, string? webhookId) =>
        (Kind is null || Kind == kind)
        && (ChangeId is null || ChangeId == changeId)
        && (PhoneNumberId is null || PhoneNumberId == phoneNumberId)
        && (WebhookId is null || WebhookId == webhookId);
}
