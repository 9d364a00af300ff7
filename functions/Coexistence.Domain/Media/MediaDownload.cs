namespace Coexistence.Media;

/// <summary>
/// An open download: the file's body as the provider streams it, its MIME type and SHA-256 as the provider's lookup gave
/// them, and its length when known. Disposing it ends the request and its timeout.
/// </summary>
internal sealed class MediaDownload(HttpResponseMessage response, Stream body, string? mimeType, string? sha256, CancellationTokenSource timeout)
    : IDisposable
{
    public Stream Body { get; } = body;
    public string? MimeType { get; } = mimeType;

    /// <summary>The lookup's <c>sha256</c> (base64 at Meta): what the file is checked against when the webhook gave none.</summary>
    public string? Sha256 { get; } = sha256;
    public long? Length => response.Content.Headers.ContentLength;

    /// <summary>Cancelled when the download's time is up (<see cref="MediaOptions.TimeoutSeconds"/>) or the caller's token is.</summary>
    public CancellationToken Token => timeout.Token;

    public void Dispose()
    {
        Body.Dispose();
        response.Dispose();
        timeout.Dispose();
    }
}
