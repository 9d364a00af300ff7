using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// One message by wamid, given as the <c>wamid</c> query parameter (<see cref="ReadApi.GetMessageAsync"/>):
/// wamids contain '/', which a path segment cannot carry reliably (docs/api.md).
/// </summary>
public sealed class GetMessage(ReadApi api)
{
    [Function(nameof(GetMessage))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/messages")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.GetMessageAsync(phoneNumberId, name => ReadApiHttp.Query(request, name), cancellationToken),
            cancellationToken);
}
