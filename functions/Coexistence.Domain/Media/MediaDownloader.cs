using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Coexistence.Media;

/// <summary>
/// Downloads one media file through the provider's media API (docs/media.md, "Providers"), knowing nothing of queues or storage:
/// <list type="bullet">
/// <item>Meta (<c>meta</c>): <c>GET {BaseUrl}/{media-id}</c> with <c>Authorization: Bearer {AccessToken}</c> answers
/// <c>{url, mime_type, sha256, file_size}</c>; then <c>GET {url}</c> with the same token;</item>
/// <item>360dialog (<c>360dialog</c>): <c>GET {BaseUrl}/{media-id}</c> with the <c>D360-API-KEY</c> header answers the same
/// JSON, whose <c>url</c> names Meta's host: the file is fetched from 360dialog instead (its scheme and host replaced by
/// <c>BaseUrl</c>'s, path and query kept), with the same header.</item>
/// </list>
/// 404 and 410 (an expired or unknown id), 400, 401 and 403 (a request the provider will never answer) and files above
/// <see cref="MediaOptions.MaxBytes"/> are permanent failures; 429 (with its <c>Retry-After</c>), other statuses,
/// timeouts and broken connections are transient (<see cref="MediaFetchException"/>). Each failed request is one
/// <see cref="MediaFetchException.CountsAsError"/> for the throttle.
/// </summary>
internal sealed class MediaDownloader(HttpClient http, MediaOptions options, TimeProvider time)
{
    public async Task<MediaDownload> OpenAsync(MediaSource source, string mediaId, CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            string url;
            string? mimeType, sha256;
            using (var lookup = await SendAsync(source, new Uri(source.BaseUrl, Uri.EscapeDataString(mediaId)), "lookup", timeout.Token))
            {
                using var json = await JsonDocument.ParseAsync(await lookup.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
                var root = json.RootElement;
                url = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String
                      && u.GetString() is { Length: > 0 } s
                    ? s
                    : throw new MediaFetchException("the media lookup named no url", permanent: false);
                mimeType = root.TryGetProperty("mime_type", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                sha256 = root.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
                if (root.TryGetProperty("file_size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes)
                    && bytes > options.MaxBytes)
                    throw new MediaFetchException($"the file is {bytes} bytes, more than Media:MaxBytes", permanent: true, countsAsError: false);
            }
            var response = await SendAsync(source, FileUri(source, url), "download", timeout.Token);
            if (response.Content.Headers.ContentLength is { } length && length > options.MaxBytes)
            {
                response.Dispose();
                throw new MediaFetchException($"the file is {length} bytes, more than Media:MaxBytes", permanent: true, countsAsError: false);
            }
            var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return new MediaDownload(response, body, mimeType ?? response.Content.Headers.ContentType?.MediaType, sha256, timeout);
        }
        catch (Exception e)
        {
            timeout.Dispose();
            throw Classify(e, cancellationToken);
        }
    }

    /// <summary>
    /// Where the file is fetched: the lookup's URL (Meta), or the same path and query on 360dialog's host (360dialog
    /// answers Meta's lookaside URL, which only its proxy serves with the API key).
    /// </summary>
    internal static Uri FileUri(MediaSource source, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new MediaFetchException("the media lookup's url is not an http(s) URL", permanent: false, countsAsError: false);
        // The credential goes with the file's request: never in clear text when the media API itself is reached over TLS.
        if (uri.Scheme != Uri.UriSchemeHttps && source.BaseUrl.Scheme == Uri.UriSchemeHttps)
            throw new MediaFetchException("the media lookup's url is not https", permanent: false, countsAsError: false);
        if (!source.Is360Dialog) return uri;
        var basePath = source.BaseUrl.AbsolutePath.TrimEnd('/');
        return new UriBuilder(source.BaseUrl) { Path = basePath + uri.AbsolutePath, Query = uri.Query.TrimStart('?') }.Uri;
    }

    private async Task<HttpResponseMessage> SendAsync(MediaSource source, Uri uri, string step, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (source.Is360Dialog) request.Headers.Add("D360-API-KEY", source.Credential);
        else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", source.Credential);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var status = (int)response.StatusCode;
            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound or HttpStatusCode.Gone => new MediaFetchException($"the {step} answered {status}: the media id expired", true),
                HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    new MediaFetchException($"the {step} answered {status}: the provider refuses it (credentials or id)", true),
                HttpStatusCode.TooManyRequests => new MediaFetchException($"the {step} answered 429 (throttled)", false, RetryAfterOf(response)),
                _ => new MediaFetchException($"the {step} answered {status}", false, RetryAfterOf(response)),
            };
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>Any failure as a <see cref="MediaFetchException"/>: the caller's cancellation stays what it is.</summary>
    internal static Exception Classify(Exception e, CancellationToken cancellationToken) => e switch
    {
        MediaFetchException => e,
        OperationCanceledException when cancellationToken.IsCancellationRequested => e,
        OperationCanceledException => new MediaFetchException("the provider did not answer in time", false, inner: e),
        HttpRequestException or IOException => new MediaFetchException($"the connection failed ({e.GetType().Name})", false, inner: e),
        JsonException => new MediaFetchException("the media lookup was not JSON", false, inner: e),
        _ => e,
    };
}
