using Microsoft.Extensions.Options;

namespace Coexistence.Intake;

/// <summary>
/// The WebhookAuth section's start-up checks, each failure naming its setting: no empty value (an empty secret is a
/// parameter never filled in, not a way to turn a check off), and a header name only together with its tokens.
/// Whether some authentication must be configured at all is the app's decision
/// (<see cref="CoexistenceServiceCollectionExtensions.RequireWebhookAuthentication"/>): the CLI's ingest needs none.
/// </summary>
internal sealed class WebhookAuthValidation : IValidateOptions<WebhookAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookAuthOptions options)
    {
        var failures = options.EmptyValues().Select(setting => $"{setting} is empty: remove the setting or give it a value.").ToList();
        if (!string.IsNullOrWhiteSpace(options.HeaderName) && options.ActiveHeaderTokens.Count == 0)
            failures.Add("WebhookAuth:HeaderName is set but WebhookAuth:HeaderTokens is empty.");
        if (string.IsNullOrWhiteSpace(options.HeaderName) && options.ActiveHeaderTokens.Count > 0)
            failures.Add("WebhookAuth:HeaderTokens is set but WebhookAuth:HeaderName is empty.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
