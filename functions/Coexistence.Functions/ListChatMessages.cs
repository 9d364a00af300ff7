using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// One chat's messages, the chat named by the query parameter <c>chatId</c> instead of a path segment: the host's
/// request telemetry keeps the path but strips the query string, so the customer's number stays out of it (docs/api.md,
/// "Customer numbers and telemetry"). Otherwise the same as <see cref="ListMessages"/>.
/// </summary>
public sealed class ListChatMessages(ReadApi api)
{
    [Function(nameof(ListChatMessages))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/chats/messages")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.ListMessagesAsync(phoneNumberId, ReadApiHttp.Query(request, ReadApi.ChatIdParameter), name => ReadApiHttp.Query(request, name),
                cancellationToken),
            cancellationToken);
}
