using System.Net;
using Coexistence.Intake;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// The door: every coexistence webhook is POSTed here. Answers 202 only once the body is archived and
/// queued; 400/413 with a problem document for bodies that are not acceptable (nothing stored);
/// 503 when our storage failed, so the sender retries.
/// </summary>
public sealed class ReceiveWebhook(WebhookIntake intake, IntakeOptions options)
{
    [Function(nameof(ReceiveWebhook))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request.Body, options.MaxBodyBytes, cancellationToken);
        var result = body is null
            ? IntakeResult.Rejected(WebhookIntake.TooLarge(options.MaxBodyBytes))
            : await intake.ReceiveAsync(body.Value, cancellationToken);

        return result.Outcome switch
        {
            IntakeOutcome.Accepted => await RespondAsync(request, HttpStatusCode.Accepted, IntakeResponses.JsonContentType, IntakeResponses.Accepted(result)),
            IntakeOutcome.Unavailable => await RespondAsync(request, HttpStatusCode.ServiceUnavailable, IntakeResponses.ProblemContentType,
                IntakeResponses.Problem(result.Problem!), retryAfterSeconds: 30),
            _ => await RespondAsync(request, (HttpStatusCode)result.Problem!.Status, IntakeResponses.ProblemContentType, IntakeResponses.Problem(result.Problem)),
        };
    }

    private static async Task<HttpResponseData> RespondAsync(HttpRequestData request, HttpStatusCode status, string contentType, byte[] body,
        int? retryAfterSeconds = null)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", contentType);
        if (retryAfterSeconds is { } seconds) response.Headers.Add("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await response.Body.WriteAsync(body);
        return response;
    }
}

/// <summary>Reads a request body up to a limit, counting bytes as they arrive (Content-Length is not trusted).</summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
