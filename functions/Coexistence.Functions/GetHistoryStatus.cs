using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>The state of a number's history sync (<see cref="ReadApi.GetHistoryStatusAsync"/>).</summary>
public sealed class GetHistoryStatus(ReadApi api)
{
    [Function(nameof(GetHistoryStatus))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/history")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.GetHistoryStatusAsync(phoneNumberId, cancellationToken),
            cancellationToken);
}
