using Coexistence.Intake;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// Meta's subscription handshake on the webhook URL: <c>GET ?hub.mode=subscribe&amp;hub.verify_token=T&amp;hub.challenge=C</c>
/// answers 200 with C when T is a configured verify token, 403 otherwise.
/// </summary>
public sealed class VerifyWebhookSubscription(WebhookDoor door)
{
    [Function(nameof(VerifyWebhookSubscription))]
    public Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        HttpResponses.WriteAsync(request, door.Verify(name => request.Query[name]), cancellationToken);
}
