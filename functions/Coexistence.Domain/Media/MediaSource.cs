namespace Coexistence.Media;

/// <summary>
/// One number's media provider, resolved from the settings (<see cref="MediaOptions.SourceFor"/>): the provider, its base
/// URL and the credential it takes. <see cref="ThrottleKey"/> names whose error budget a download spends: the number's
/// own when it has its own credentials (360dialog counts failures per number), the partner's otherwise.
/// </summary>
internal sealed record MediaSource(string Provider, Uri BaseUrl, string Credential, string ThrottleKey)
{
    public bool Is360Dialog => Provider == MediaOptions.D360;

    /// <summary>Never the credential: a source may be logged or compared in a test's message.</summary>
    public override string ToString() => $"{Provider} at {BaseUrl.Host}";
}
