namespace Coexistence.Tests.Support;

/// <summary>One request the media providers' stand-in received: what a test asserts the downloader asked, and with which credential.</summary>
internal sealed record MediaProviderRequest(string Path, string Query, string? Authorization, string? D360ApiKey)
{
    /// <summary>A request for a file (not a lookup): Meta's <c>/files/{id}</c> or 360dialog's attachments path.</summary>
    public bool IsFile => Path.StartsWith("/files/", StringComparison.Ordinal) || Path.StartsWith(MediaProviderStandIn.D360FilePath, StringComparison.Ordinal);
}
