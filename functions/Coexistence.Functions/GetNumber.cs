using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>A number: its registry entry, lifecycle events and request window (<see cref="ReadApi.GetNumberAsync"/>).</summary>
public sealed class GetNumber(ReadApi api)
{
    [Function(nameof(GetNumber))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix)] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.GetNumberAsync(phoneNumberId, cancellationToken),
            cancellationToken);
}
