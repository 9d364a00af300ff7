namespace Coexistence.Media;

/// <summary>
/// Settings section <c>Media</c> (docs/media.md, "Settings"): the partner's provider and credentials (the inherited
/// <see cref="MediaProviderOptions"/> properties), each number's own in <see cref="Numbers"/>, and the limits. A number
/// with no provider, its own or the default, is not archived: no media job is queued for it.
/// </summary>
public sealed class MediaOptions : MediaProviderOptions
{
    public const string Meta = "meta";
    public const string D360 = "360dialog";
    public const string MetaBaseUrl = "https://graph.facebook.com/v23.0";
    public const string D360BaseUrl = "https://waba-v2.360dialog.io";
    public const string DefaultThrottleKey = "default";

    /// <summary>One number's own provider and credentials, by phone_number_id (<c>Media:Numbers:{id}:ApiKey</c>, ...).</summary>
    public Dictionary<string, MediaProviderOptions> Numbers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a media id lives after the webhook's receipt: a job past it is recorded as expired, with no request.</summary>
    public int IdLifetimeDays { get; set; } = 7;

    /// <summary>A larger file is a permanent failure (the download stops at this size). Cloud API media are at most 100 MB.</summary>
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>A whole download (the lookup and the file) is abandoned after this long: a transient failure.</summary>
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Runs of one job before a transient failure counts as permanent.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// Failed provider requests per hour and throttle key before downloads pause: 360dialog blocks a number's media
    /// endpoint after 5 failed requests in an hour, so the default stays below that.
    /// </summary>
    public int ErrorBudgetPerHour { get; set; } = 4;

    /// <summary>How long downloads of a throttle key pause once its error budget is spent (360dialog's block lasts an hour).</summary>
    public int ErrorPauseMinutes { get; set; } = 60;

    public TimeSpan IdLifetime => TimeSpan.FromDays(IdLifetimeDays);

    /// <summary>Whether the number's media are archived (its own provider, or the partner's): asked per change, so it builds nothing.</summary>
    internal bool Archives(string phoneNumberId) => ProviderOf(phoneNumberId) is not null;

    private string? ProviderOf(string phoneNumberId) => Normalized(Pick(Numbers.GetValueOrDefault(phoneNumberId)?.Provider, Provider));

    /// <summary>The number's provider and credential, or null when its media are not archived.</summary>
    internal MediaSource? SourceFor(string phoneNumberId)
    {
        if (ProviderOf(phoneNumberId) is not { } provider) return null;
        var own = Numbers.GetValueOrDefault(phoneNumberId);
        var baseUrl = Pick(own?.BaseUrl, Provider is not null && Normalized(Provider) != provider ? null : BaseUrl)
                      ?? (provider == D360 ? D360BaseUrl : MetaBaseUrl);
        var credential = provider == D360 ? Pick(own?.ApiKey, ApiKey) : Pick(own?.AccessToken, AccessToken);
        var hasOwn = own is not null && (own.ApiKey ?? own.AccessToken ?? own.Provider) is not null;
        return new MediaSource(provider, new Uri(baseUrl.TrimEnd('/') + "/"), credential ?? "", hasOwn ? phoneNumberId : DefaultThrottleKey);
    }

    /// <summary>What is wrong with the settings (no secret's value), or null; checked at start-up.</summary>
    internal string? Problem()
    {
        if (IdLifetimeDays is < 1 or > 30) return "Media:IdLifetimeDays must be from 1 to 30.";
        if (MaxBytes < 1) return "Media:MaxBytes must be at least 1.";
        if (TimeoutSeconds is < 1 or > 600) return "Media:TimeoutSeconds must be from 1 to 600.";
        if (MaxAttempts is < 1 or > 50) return "Media:MaxAttempts must be from 1 to 50.";
        if (ErrorBudgetPerHour is < 1 or > 1000) return "Media:ErrorBudgetPerHour must be from 1 to 1000.";
        if (ErrorPauseMinutes is < 1 or > 24 * 60) return "Media:ErrorPauseMinutes must be from 1 to 1440.";
        return ProblemOf("Media", this, defaults: null)
               ?? Numbers.Select(n => n.Key.All(char.IsAsciiDigit) && n.Key.Length > 0
                       ? ProblemOf($"Media:Numbers:{n.Key}", n.Value, this)
                       : $"Media:Numbers:{n.Key} is not a phone_number_id (digits).")
                   .FirstOrDefault(p => p is not null);
    }

    private static string? ProblemOf(string section, MediaProviderOptions o, MediaProviderOptions? defaults)
    {
        var provider = Pick(o.Provider, defaults?.Provider);
        if (provider is null) return null;
        if (Normalized(provider) is null) return $"{section}:Provider must be {Meta} or {D360}, not '{provider}'.";
        var baseUrl = Pick(o.BaseUrl, defaults?.BaseUrl);
        if (baseUrl is not null && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            return $"{section}:BaseUrl must be an absolute http(s) URL.";
        var d360 = Normalized(provider) == D360;
        var credential = d360 ? Pick(o.ApiKey, defaults?.ApiKey) : Pick(o.AccessToken, defaults?.AccessToken);
        return credential is null ? $"{section}:{(d360 ? "ApiKey" : "AccessToken")} is required with the {Normalized(provider)} provider." : null;
    }

    private static string? Pick(string? own, string? fallback) =>
        !string.IsNullOrWhiteSpace(own) ? own.Trim() : !string.IsNullOrWhiteSpace(fallback) ? fallback.Trim() : null;

    private static string? Normalized(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        Meta => Meta,
        D360 or "d360" => D360,
        _ => null,
    };
}
