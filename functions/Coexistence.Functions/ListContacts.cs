using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>A number's contacts by number, paged; removed ones with <c>includeRemoved=true</c> (<see cref="ReadApi.ListContactsAsync"/>).</summary>
public sealed class ListContacts(ReadApi api)
{
    [Function(nameof(ListContacts))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/contacts")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.ListContactsAsync(phoneNumberId, name => ReadApiHttp.Query(request, name), cancellationToken),
            cancellationToken);
}
