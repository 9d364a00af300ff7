namespace Coexistence.Media;

/// <summary>
/// An open download: the file's body as the provider streams it, its MIME type as the provider gave it, and its length
/// when known. Disposing it ends the request and its timeout.
/// </summary>
internal sealed class MediaDownload(HttpResponseMessage response, Stream body, string? mimeType, CancellationTokenSource timeout) : IDisposable
{
    public Stream Body { get; } = body;
    public string? MimeType { get; } = mimeType;
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
