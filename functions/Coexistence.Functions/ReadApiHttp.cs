using Coexistence.Http;
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

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpAnswer answer, CancellationToken cancellationToken)
    {
        var response = await HttpResponses.WriteAsync(request, answer, cancellationToken);
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }
}
