using System.Text.Json;
using Coexistence.Functions;
using Coexistence.Tests.Functions;
using Coexistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using QueryApi = Coexistence.Queries.ReadApi;

namespace Coexistence.Tests.ReadApi;

/// <summary>The read API functions on isolated Azurite storage, called directly with fake HTTP requests.</summary>
internal sealed class ReadApiHarness
{
    private ReadApiHarness(PipelineHarness pipeline) => Pipeline = pipeline;

    public PipelineHarness Pipeline { get; }
    public ReadApiOptions Options => Pipeline.Get<ReadApiOptions>();
    public ContinuationTokens Tokens => Pipeline.Get<ContinuationTokens>();
    public QueryApi Api => Pipeline.Get<QueryApi>();

    /// <summary>The read API as the container wires it, with <paramref name="options"/> (a fixed token key by default).</summary>
    public static async Task<ReadApiHarness> CreateAsync(ReadApiOptions? options = null)
    {
        options ??= new ReadApiOptions { TokenKey = new string('k', 40) };
        return new ReadApiHarness(await PipelineHarness.CreateAsync(configure: services =>
            services.Configure<ReadApiOptions>(o => (o.TokenKey, o.DefaultPageSize, o.MaxPageSize, o.RequireNumberRoles) =
                (options.TokenKey, options.DefaultPageSize, options.MaxPageSize, options.RequireNumberRoles))));
    }

    public Task<FakeHttpResponse> ChatsAsync(string pnid, string query = "") =>
        Call(pnid, "/chats", query, r => new ListChats(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> MessagesAsync(string pnid, string chatId, string query = "") =>
        Call(pnid, $"/chats/{Uri.EscapeDataString(chatId)}/messages", query, r => new ListMessages(Api).Run(r, pnid, chatId, default));

    /// <summary>The same listing with the chat in the query string (<c>/chats/messages?chatId=</c>); null: no chatId at all.</summary>
    public Task<FakeHttpResponse> ChatMessagesAsync(string pnid, string? chatId, string query = "") =>
        Call(pnid, "/chats/messages",
            string.Join("&", new[] { chatId is null ? null : "chatId=" + Uri.EscapeDataString(chatId), query.Length > 0 ? query : null }.OfType<string>()),
            r => new ListChatMessages(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> MessageAsync(string pnid, string query) =>
        Call(pnid, "/messages", query, r => new GetMessage(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> MediaAsync(string pnid, string query) =>
        Call(pnid, "/media", query, r => new GetMedia(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> StatusesAsync(string pnid, string query) =>
        Call(pnid, "/statuses", query, r => new GetMessageStatuses(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> ContactsAsync(string pnid, string query = "") =>
        Call(pnid, "/contacts", query, r => new ListContacts(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> NumberAsync(string pnid) =>
        Call(pnid, "", "", r => new GetNumber(Api).Run(r, pnid, default));

    public Task<FakeHttpResponse> HistoryAsync(string pnid) =>
        Call(pnid, "/history", "", r => new GetHistoryStatus(Api).Run(r, pnid, default));

    private static async Task<FakeHttpResponse> Call(string pnid, string path, string query, Func<FakeHttpRequest, Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData>> run)
    {
        var url = $"http://localhost/api/numbers/{Uri.EscapeDataString(pnid)}{path}" + (query.Length > 0 ? "?" + query : "");
        return (FakeHttpResponse)await run(new FakeHttpRequest([], "GET", url));
    }

    /// <summary>Messages written straight into the store (no door), for shapes the webhook builder does not make.</summary>
    public Task WriteAsync(string pnid, IEnumerable<ChatMessage> messages) =>
        Pipeline.Messages.WriteMessagesAsync(pnid, messages.ToList(), default);

    public static ChatMessage Message(string id, string chatId, long timestamp, string text = "hello") =>
        new(id, chatId, Direction.Inbound, chatId, WebhookBuilder.BusinessDigits, timestamp, "text", "read", MessageSource.History, text, null, null);

    /// <summary>Follows one direction from the first response until the link is null; returns every item in the order received.</summary>
    public static async Task<(List<JsonElement> Items, int Pages)> FollowAsync(FakeHttpResponse first, string link, Func<string, Task<FakeHttpResponse>> call, bool prepend)
    {
        var items = new List<JsonElement>();
        var pages = 0;
        var response = first;
        while (true)
        {
            var page = PageOf(response);
            pages++;
            if (prepend) items.InsertRange(0, page.Items); else items.AddRange(page.Items);
            var token = link == "next" ? page.Next : page.Previous;
            if (token is null) return (items, pages);
            response = await call("continuationToken=" + Uri.EscapeDataString(token));
        }
    }

    public static (List<JsonElement> Items, string? Next, string? Previous) PageOf(FakeHttpResponse response)
    {
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {response.BodyText}");
        using var doc = JsonDocument.Parse(response.BodyText);
        var root = doc.RootElement;
        return (root.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList(),
            root.GetProperty("next").GetString(), root.GetProperty("previous").GetString());
    }

    /// <summary>Asserts a 4xx problem+json with the code; returns the problem.</summary>
    public static JsonElement AssertProblem(FakeHttpResponse response, int status, string code)
    {
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {response.BodyText}");
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        using var doc = JsonDocument.Parse(response.BodyText);
        Assert.Equal(code, doc.RootElement.GetProperty("code").GetString());
        Assert.Equal(status, doc.RootElement.GetProperty("status").GetInt32());
        return doc.RootElement.Clone();
    }
}
