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

    /// <summary>
    /// The WhatsApp Business Accounts (WABA ids) a body signed with a provider secret may name; empty: any. Each change's
    /// account (<c>entry[].id</c>, <c>data.id</c>) must be listed, else the body is refused (403 <c>account-not-allowed</c>).
    /// </summary>
    public List<string> ProviderAccounts { get; set; } = [];

    /// <summary>The accounts a body signed with a Meta app secret may name; empty: any (see <see cref="ProviderAccounts"/>).</summary>
    public List<string> MetaAppAccounts { get; set; } = [];

    /// <summary>Tokens accepted in Meta's subscription handshake (<c>hub.verify_token</c>).</summary>
    public List<string> VerifyTokens { get; set; } = [];

    /// <summary>Name of a static header the provider is configured to send, e.g. <c>X-Coexistence-Token</c>.</summary>
    public string? HeaderName { get; set; }

    /// <summary>Accepted values of <see cref="HeaderName"/>.</summary>
    public List<string> HeaderTokens { get; set; } = [];

    /// <summary>
    /// Lets webhooks in without any of the checks above. Off by default: the Function App refuses to start when no
    /// secret or header token is configured unless this says so (local runs; issue 17, "fail closed").
    /// </summary>
    public bool AllowUnsigned { get; set; }

    /// <summary>The start-up error when nothing authenticates senders and unsigned webhooks are not allowed.</summary>
    public const string NothingConfigured =
        "No webhook authentication is configured: set WebhookAuth:ProviderSecrets:0, WebhookAuth:MetaAppSecrets:0 or "
        + "WebhookAuth:HeaderName with WebhookAuth:HeaderTokens:0 (or WebhookAuth:AllowUnsigned=true, for local runs only).";

    internal IReadOnlyList<string> ActiveProviderSecrets => NonEmpty(ProviderSecrets);
    internal IReadOnlyList<string> ActiveMetaAppSecrets => NonEmpty(MetaAppSecrets);
    internal IReadOnlyList<string> ActiveVerifyTokens => NonEmpty(VerifyTokens);
    internal IReadOnlyList<string> ActiveHeaderTokens => NonEmpty(HeaderTokens);

    /// <summary>The accounts <paramref name="sender"/> may post for, or null when it may post for any.</summary>
    internal IReadOnlySet<string>? AccountsOf(WebhookSender sender) =>
        (sender switch { WebhookSender.Provider => ProviderAccounts, WebhookSender.Meta => MetaAppAccounts, _ => [] }) is { Count: > 0 } accounts
            ? accounts.ToHashSet(StringComparer.Ordinal)
            : null;

    /// <summary>True when a signature is required (at least one secret of either kind is configured).</summary>
    public bool RequiresSignature => ActiveProviderSecrets.Count > 0 || ActiveMetaAppSecrets.Count > 0;

    /// <summary>True when the static header is required.</summary>
    public bool RequiresHeaderToken => !string.IsNullOrWhiteSpace(HeaderName) && ActiveHeaderTokens.Count > 0;

    /// <summary>
    /// True when two kinds of sender are configured (provider and Meta secrets) and neither is limited to its accounts:
    /// either may then write any number's rows (issue 17, finding 4), which the app warns about at start-up.
    /// </summary>
    public bool SendersShareEveryAccount =>
        ActiveProviderSecrets.Count > 0 && ActiveMetaAppSecrets.Count > 0 && ProviderAccounts.Count == 0 && MetaAppAccounts.Count == 0;

    /// <summary>True when a request must carry a signature or the header token to get in.</summary>
    public bool AuthenticatesSenders => RequiresSignature || RequiresHeaderToken;

    /// <summary>
    /// The settings that hold an empty value, e.g. <c>WebhookAuth:ProviderSecrets:1</c>: a start-up error, since an empty
    /// secret is a deployment mistake (a parameter that was never filled in), not a way to turn a check off.
    /// </summary>
    internal IEnumerable<string> EmptyValues() =>
        new[] { (nameof(ProviderSecrets), ProviderSecrets), (nameof(MetaAppSecrets), MetaAppSecrets), (nameof(VerifyTokens), VerifyTokens),
                (nameof(HeaderTokens), HeaderTokens), (nameof(ProviderAccounts), ProviderAccounts), (nameof(MetaAppAccounts), MetaAppAccounts) }
            .SelectMany(list => list.Item2.Select((value, i) => (Name: $"WebhookAuth:{list.Item1}:{i}", value)))
            .Where(v => string.IsNullOrWhiteSpace(v.value)).Select(v => v.Name);

    /// <summary>What the app logs at start-up about webhook authentication: which checks are on and how many values each has, never a value.</summary>
    internal string Describe() => AuthenticatesSenders
        ? string.Join(", ", new[]
            {
                ActiveProviderSecrets.Count > 0 ? $"provider signature ({ActiveProviderSecrets.Count} secret(s))" : null,
                ActiveMetaAppSecrets.Count > 0 ? $"Meta signature ({ActiveMetaAppSecrets.Count} secret(s))" : null,
                RequiresHeaderToken ? $"header {HeaderName} ({ActiveHeaderTokens.Count} token(s))" : null,
                ProviderAccounts.Count > 0 ? $"provider limited to {ProviderAccounts.Count} account(s)" : null,
                MetaAppAccounts.Count > 0 ? $"Meta limited to {MetaAppAccounts.Count} account(s)" : null,
            }.OfType<string>())
        : "off (WebhookAuth:AllowUnsigned=true): anyone who can reach the webhook URL can post";

    private static List<string> NonEmpty(List<string> values) => values.Where(v => !string.IsNullOrEmpty(v)).ToList();
}
