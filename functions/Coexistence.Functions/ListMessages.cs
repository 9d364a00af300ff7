using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>One chat's messages in time order, paged both ways (<see cref="ReadApi.ListMessagesAsync"/>).</summary>
public sealed class ListMessages(ReadApi api)
{
    [Function(nameof(ListMessages))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/chats/{chatId}/messages")] HttpRequestData request,
        string phoneNumberId,
        string chatId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.ListMessagesAsync(phoneNumberId, chatId, name => ReadApiHttp.Query(request, name), cancellationToken),
            cancellationToken);
}
