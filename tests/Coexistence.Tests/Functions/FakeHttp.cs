using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Moq;

namespace Coexistence.Tests.Functions;

/// <summary>
/// Minimal HttpRequestData/HttpResponseData for calling HTTP functions directly: no Functions host can
/// run on this machine (the Core Tools cannot be installed), so the function classes are the unit.
/// </summary>
internal sealed class FakeHttpRequest(byte[] body, string method = "POST", string url = "http://localhost/api/webhooks",
    params (string Name, string Value)[] headers) : HttpRequestData(new Mock<FunctionContext>().Object)
{
    public override Stream Body { get; } = new MemoryStream(body);
    public override HttpHeadersCollection Headers { get; } = new(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)));
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
    public override Uri Url { get; } = new(url);
    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
    public override string Method { get; } = method;
    public override HttpResponseData CreateResponse() => new FakeHttpResponse(FunctionContext);
}

internal sealed class FakeHttpResponse(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }
    public override HttpHeadersCollection Headers { get; set; } = new();
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies { get; } = new Mock<HttpCookies>().Object;

    public string BodyText => System.Text.Encoding.UTF8.GetString(((MemoryStream)Body).ToArray());
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
