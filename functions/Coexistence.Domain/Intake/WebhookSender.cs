namespace Coexistence.Intake;

/// <summary>Whose signature let a webhook in: it decides which accounts the webhook may name (<see cref="WebhookAuthOptions.ProviderAccounts"/>).</summary>
internal enum WebhookSender
{
    /// <summary>No signature is configured (a header token, or <c>WebhookAuth:AllowUnsigned</c>).</summary>
    Unsigned,
    /// <summary>The partner platform's <c>x-360dialog-signature</c>.</summary>
    Provider,
    /// <summary>Meta's <c>X-Hub-Signature-256</c>.</summary>
    Meta,
}
