using System.Net;
using Coexistence.Intake;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// The door: every coexistence webhook is POSTed here (function key required). <see cref="WebhookDoor"/>
/// decides: 202 once archived and queued; 4xx problem documents for bodies that are not acceptable
/// (nothing stored); 503 with Retry-After when our storage failed.
/// </summary>
public sealed class ReceiveWebhook(WebhookDoor door)
{
    [Function(nameof(ReceiveWebhook))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var response = await door.ReceiveAsync(name => HttpDoorResponses.Header(request, name), request.Body, cancellationToken);
        return await HttpDoorResponses.WriteAsync(request, response, cancellationToken);
    }
}

/// <summary>Translation between the Functions HTTP types and the door's plain request/response.</summary>
internal static class HttpDoorResponses
{
    public static string? Header(HttpRequestData request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, DoorResponse door, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse((HttpStatusCode)door.Status);
        response.Headers.Add("Content-Type", door.ContentType);
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        if (door.RetryAfterSeconds is { } seconds) response.Headers.Add("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await response.Body.WriteAsync(door.Body, cancellationToken);
        return response;
    }
}
