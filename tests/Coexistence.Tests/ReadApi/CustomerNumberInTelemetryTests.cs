using System.Reflection;
using System.Text.Json;
using Coexistence.Functions;
using Microsoft.Azure.Functions.Worker;
using static Coexistence.Tests.ReadApi.ReadApiHarness;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.ReadApi;

/// <summary>
/// Issue 17, finding 6: the chat id (the customer's number) was a path segment of every message listing, and the host keeps
/// request paths in its telemetry (it strips query strings). <c>/chats/messages?chatId=</c> answers the same with a path that
/// names no customer.
/// </summary>
public class CustomerNumberInTelemetryTests
{
    private const string Customer = "15550002222";

    [Fact]
    public async Task The_chat_named_in_the_query_string_gets_the_same_answers_as_the_chat_in_the_path()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.WriteAsync(PhoneNumberId, Enumerable.Range(0, 5).Select(i => Message($"wamid.t{i}", Customer, 1_700_000_000 + i)));
        await h.WriteAsync(PhoneNumberId, [Message("wamid.u", "US.13491208655302741918", 1_700_000_100)]);

        foreach (var (chat, query) in new[] { (Customer, ""), ("+1 555-000-2222", "start=latest&pageSize=2"), ("US.13491208655302741918", ""), ("nope", "") })
        {
            var inPath = await h.MessagesAsync(PhoneNumberId, chat, query);
            var inQuery = await h.ChatMessagesAsync(PhoneNumberId, chat, query);
            Assert.Equal(inPath.StatusCode, inQuery.StatusCode);
            // Continuation tokens are an HMAC of their cursor (deterministic), so the bodies are equal byte for byte.
            Assert.Equal(inPath.BodyText, inQuery.BodyText);
        }

        // Paging with the query-string route: every message once, in order.
        var (items, pages) = await FollowAsync(await h.ChatMessagesAsync(PhoneNumberId, Customer, "pageSize=2"), "next",
            q => h.ChatMessagesAsync(PhoneNumberId, Customer, "pageSize=2&" + q), prepend: false);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"wamid.t{i}"), items.Select(m => m.GetProperty("id").GetString()));

        // No chat id: the same problem as a bad one.
        var missing = await h.ChatMessagesAsync(PhoneNumberId, null);
        Assert.Equal(400, (int)missing.StatusCode);
        Assert.Equal(Coexistence.Queries.ReadApi.InvalidChatId, JsonDocument.Parse(missing.BodyText).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public void Only_the_deprecated_listing_has_the_chat_id_in_its_route()
    {
        var routes = typeof(ListChats).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(m => m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>()
                .Select(t => (Function: m.GetCustomAttribute<FunctionAttribute>()!.Name, t.Route)))
            .ToList();
        Assert.Equal([nameof(ListMessages)], routes.Where(r => r.Route!.Contains("{chatId}", StringComparison.Ordinal)).Select(r => r.Function));
        Assert.Contains((nameof(ListChatMessages), "numbers/{phoneNumberId}/chats/messages"), routes);
    }
}
