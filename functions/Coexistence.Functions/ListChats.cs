using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>A number's chats, most recent activity first, paged (<see cref="ReadApi.ListChatsAsync"/>).</summary>
public sealed class ListChats(ReadApi api)
{
    [Function(nameof(ListChats))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/chats")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.ListChatsAsync(phoneNumberId, name => ReadApiHttp.Query(request, name), cancellationToken),
            cancellationToken);
}
