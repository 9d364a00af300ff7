using System.Globalization;
using System.Net;
using Coexistence.Http;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>Translation between the Functions HTTP types and the domain's plain answers (<see cref="HttpAnswer"/>).</summary>
internal static class HttpResponses
{
    public static string? Header(HttpRequestData request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpAnswer answer, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse((HttpStatusCode)answer.Status);
        response.Headers.Add("Content-Type", answer.ContentType);
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        if (answer.RetryAfterSeconds is { } seconds) response.Headers.Add("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        if (answer.File is var (content, length))
        {
            // A stored file (archived media): never rendered by a browser from our origin.
            response.Headers.Add("Content-Disposition", "attachment");
            response.Headers.Add("Content-Length", length.ToString(CultureInfo.InvariantCulture));
            await using (content) await content.CopyToAsync(response.Body, cancellationToken);
            return response;
        }
        await response.Body.WriteAsync(answer.Body, cancellationToken);
        return response;
    }
}
