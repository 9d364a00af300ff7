namespace Coexistence.Media;

/// <summary>
/// Who serves a number's media and with what credentials (docs/media.md, "Settings"): the partner's defaults in section
/// <c>Media</c>, or one number's own in <c>Media:Numbers:{phone_number_id}</c>, where an unset value falls back to the
/// default. 360dialog gives every number its own API key, so a 360dialog partner sets one per number.
/// </summary>
public class MediaProviderOptions
{
    /// <summary><c>meta</c> (Graph API, bearer token) or <c>360dialog</c> (<c>D360-API-KEY</c>); unset: this number's media are not archived.</summary>
    public string? Provider { get; set; }

    /// <summary>The media API's base URL; unset: <c>https://graph.facebook.com/v23.0</c> (Meta) or <c>https://waba-v2.360dialog.io</c> (360dialog).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Meta's access token (a system user's), sent as a bearer token. A secret: a Key Vault reference in Azure.</summary>
    public string? AccessToken { get; set; }

    /// <summary>360dialog's API key, sent as the <c>D360-API-KEY</c> header. A secret: a Key Vault reference in Azure.</summary>
    public string? ApiKey { get; set; }
}
