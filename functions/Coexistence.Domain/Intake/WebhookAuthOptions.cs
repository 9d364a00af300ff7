namespace Coexistence.Intake;

/// <summary>
/// Who may post webhooks (section "WebhookAuth"; docs/security.md). Every list holds several values so
/// that a secret can be rotated without downtime: add the new one, switch the sender, remove the old.
/// Values come from configuration (Key Vault references in Azure), never from code, and are never logged.
/// </summary>
internal sealed class WebhookAuthOptions
{
    /// <summary>Partner platform secrets: <c>x-360dialog-signature</c> = hex HMAC-SHA256 of the raw body.</summary>
    public List<string> ProviderSecrets { get; set; } = [];

    /// <summary>Meta app secrets: <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, for numbers whose webhooks Meta posts directly.</summary>
    public List<string> MetaAppSecrets { get; set; } = [];

    /// <summary>Tokens accepted in Meta's subscription handshake (<c>hub.verify_token</c>).</summary>
    public List<string> VerifyTokens { get; set; } = [];

    /// <summary>Name of a static header the provider is configured to send, e.g. <c>X-Coexistence-Token</c>.</summary>
    public string? HeaderName { get; set; }

    /// <summary>Accepted values of <see cref="HeaderName"/>.</summary>
    public List<string> HeaderTokens { get; set; } = [];

    internal IReadOnlyList<string> ActiveProviderSecrets => NonEmpty(ProviderSecrets);
    internal IReadOnlyList<string> ActiveMetaAppSecrets => NonEmpty(MetaAppSecrets);
    internal IReadOnlyList<string> ActiveVerifyTokens => NonEmpty(VerifyTokens);
    internal IReadOnlyList<string> ActiveHeaderTokens => NonEmpty(HeaderTokens);

    /// <summary>True when a signature is required (at least one secret of either kind is configured).</summary>
    public bool RequiresSignature => ActiveProviderSecrets.Count > 0 || ActiveMetaAppSecrets.Count > 0;

    /// <summary>True when the static header is required.</summary>
    public bool RequiresHeaderToken => !string.IsNullOrWhiteSpace(HeaderName) && ActiveHeaderTokens.Count > 0;

    private static List<string> NonEmpty(List<string> values) => values.Where(v => !string.IsNullOrEmpty(v)).ToList();
}
