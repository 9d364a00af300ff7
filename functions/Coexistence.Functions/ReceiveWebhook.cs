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
        var answer = await door.ReceiveAsync(name => HttpResponses.Header(request, name), request.Body, cancellationToken);
        return await HttpResponses.WriteAsync(request, answer, cancellationToken);
    }
}
