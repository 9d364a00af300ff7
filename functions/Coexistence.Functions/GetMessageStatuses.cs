using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// The statuses received for one wamid, given as the <c>wamid</c> query parameter (<see cref="ReadApi.GetStatusesAsync"/>),
/// whether or not the message is stored (docs/api.md).
/// </summary>
public sealed class GetMessageStatuses(ReadApi api)
{
    [Function(nameof(GetMessageStatuses))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/statuses")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.GetStatusesAsync(phoneNumberId, name => ReadApiHttp.Query(request, name), cancellationToken),
            cancellationToken);
}
