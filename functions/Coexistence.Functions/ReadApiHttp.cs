using Coexistence.Http;
using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// Translation for the read API functions (docs/api.md): the domain's answer written like the door's,
/// and never cached on the way (the bodies hold personal data).
/// </summary>
internal static class ReadApiHttp
{
    /// <summary>Every read API route starts here, under the host's route prefix <c>api</c>.</summary>
    public const string RoutePrefix = "numbers/{phoneNumberId}";

    public static string? Query(HttpRequestData request, string name) => request.Query[name];

    /// <summary>
    /// The read's answer, unless the caller may not read <paramref name="phoneNumberId"/> (<see cref="ReadApi.RefuseCaller"/>,
    /// from App Service authentication's principal header), then written out.
    /// </summary>
    public static async Task<HttpResponseData> AnswerAsync(HttpRequestData request, ReadApi api, string? phoneNumberId, Func<Task<HttpAnswer>> read,
        CancellationToken cancellationToken)
    {
        var principal = request.Headers.TryGetValues(ReadApi.CallerPrincipalHeader, out var values) ? values.FirstOrDefault() : null;
        return await WriteAsync(request, api.RefuseCaller(principal, phoneNumberId) ?? await read(), cancellationToken);
    }

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpAnswer answer, CancellationToken cancellationToken)
    {
        var response = await HttpResponses.WriteAsync(request, answer, cancellationToken);
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }
}
