using Coexistence.Queries;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Coexistence.Functions;

/// <summary>
/// A message's archived media file by wamid, given as the <c>wamid</c> query parameter (<see cref="ReadApi.GetMediaAsync"/>;
/// docs/api.md, docs/media.md): streamed from the media container as an attachment.
/// </summary>
public sealed class GetMedia(ReadApi api)
{
    [Function(nameof(GetMedia))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ReadApiHttp.RoutePrefix + "/media")] HttpRequestData request,
        string phoneNumberId,
        CancellationToken cancellationToken) =>
        await ReadApiHttp.AnswerAsync(request, api, phoneNumberId,
            () => api.GetMediaAsync(phoneNumberId, name => ReadApiHttp.Query(request, name), cancellationToken),
            cancellationToken);
}
