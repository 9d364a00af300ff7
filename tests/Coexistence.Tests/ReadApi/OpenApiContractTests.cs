using System.Reflection;
using System.Text.Json;
using Coexistence.Functions;
using Coexistence.Tests.Functions;
using Coexistence.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using static Coexistence.Tests.ReadApi.ReadApiHarness;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.ReadApi;

/// <summary>
/// docs/openapi.json against the code: every operation is a function route and every read API route
/// is described; real responses (200s and problems) match the described schemas, property by property.
/// </summary>
public class OpenApiContractTests
{
    private static readonly JsonElement Doc = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("docs/openapi.json"))).RootElement;

    private static IEnumerable<(string Route, string Method, string Function)> FunctionRoutes() =>
        typeof(ListChats).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .SelectMany(x => x.Trigger!.Methods!.Select(verb => ("/api/" + x.Trigger.Route, verb.ToLowerInvariant(), x.Function!.Name)));

    [Fact]
    public void Every_operation_is_a_function_route_and_every_read_route_is_described()
    {
        var functions = FunctionRoutes().ToList();
        var described = Doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Route: p.Name, Method: o.Name, Id: o.Value.GetProperty("operationId").GetString()!)))
            .ToList();
        Assert.NotEmpty(described);
        foreach (var (route, method, id) in described)
            Assert.Contains((route, method, id), functions);
        foreach (var f in functions.Where(f => f.Route.StartsWith("/api/numbers/", StringComparison.Ordinal)))
        {
            Assert.Contains((f.Route, f.Method, f.Function), described);
            Assert.Equal("get", f.Method);
        }

        // Path parameters described = route placeholders.
        foreach (var (route, method, _) in described)
        {
            var placeholders = System.Text.RegularExpressions.Regex.Matches(route, "{([^}]+)}").Select(m => m.Groups[1].Value).Order();
            var pathParameters = Doc.GetProperty("paths").GetProperty(route).GetProperty(method).GetProperty("parameters").EnumerateArray()
                .Select(Resolve).Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).Order();
            Assert.Equal(placeholders, pathParameters);
        }
    }

    [Fact]
    public async Task Real_responses_match_the_described_schemas()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.Pipeline.DeliverAsync(HistoryChunk(1, 1, 50, Thread("15550002222",
            Text("wamid.in1", "15550002222", 1_699_999_000, "hi"), Placeholder("wamid.media1", "15550002222", 1_699_999_100))));
        await h.Pipeline.DeliverAsync(MediaFollowUp("wamid.media1", "15550002222", 1_699_999_100));
        await h.Pipeline.DeliverAsync(Fixtures.Bytes("partner-history-declined.json"));
        await h.WriteAsync(PhoneNumberId, [Message("wamid.HBgL/abc+def=", "15550002222", 1_700_000_000), Message("wamid.b", "15550003333", 1_600_000_000) with { Direction = Direction.Outbound }]);
        // Statuses of an outbound message (one failed, with its error) and of a message never stored.
        await h.Pipeline.DeliverAsync(Meta("messages", """ "statuses":[{"id":"wamid.b","status":"sent","timestamp":"1600000001","recipient_id":"15550003333"},"""
            + """{"id":"wamid.b","status":"failed","timestamp":"1600000002","recipient_id":"15550003333","errors":[{"code":131026,"title":"Message undeliverable","message":"Message undeliverable","error_data":{"details":"Message Undeliverable."}}]},"""
            + """{"id":"wamid.api","status":"delivered","timestamp":"1600000003"}] """));
        // Every message type, a reaction of each side and a quoted reply (Oliver's chat).
        await h.Pipeline.DeliverAllAsync([Fixtures.Bytes("meta-messages-every-type.json"), Fixtures.Bytes("meta-messages-location-and-reaction.json"),
            Fixtures.Bytes("meta-echo-reaction-and-reply.json"), Fixtures.Bytes("meta-messages-system-user-changed-number-2026.json")]);
        await h.Pipeline.DeliverAsync(Contacts(ContactAdd("15550009999", "Gone", "Gone", "1700000000")));
        await h.Pipeline.DeliverAsync(Contacts(ContactRemove("15550009999", "1700000100")));
        await h.Pipeline.DeliverAsync(System.Text.Encoding.UTF8.GetBytes($$$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{{{WabaId}}}}","time":1739321024,"changes":[{"field":"account_update",
             "value":{"event":"PARTNER_REMOVED","disconnection_info":{"reason":"PRIMARY_INACTIVITY","initiated_by":"SYSTEM"}}}]}]}
            """));

        var chatPage = PageOf(await h.ChatsAsync(PhoneNumberId, "pageSize=1"));
        Assert.NotNull(chatPage.Next);
        var cases = new (string Path, FakeHttpResponse Response)[]
        {
            ("/api/numbers/{phoneNumberId}/chats", await h.ChatsAsync(PhoneNumberId, "pageSize=1")),
            ("/api/numbers/{phoneNumberId}/chats", await h.ChatsAsync(PhoneNumberId, "pageSize=1&continuationToken=" + Uri.EscapeDataString(chatPage.Next!))),
            ("/api/numbers/{phoneNumberId}/chats", await h.ChatsAsync("1")),
            ("/api/numbers/{phoneNumberId}/chats", await h.ChatsAsync("x")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "15550002222")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "15550002222", "start=latest&pageSize=1")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "15550002222", "continuationToken=bad")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "nope")),
            ("/api/numbers/{phoneNumberId}/chats/messages", await h.ChatMessagesAsync(PhoneNumberId, "15550002222", "start=latest&pageSize=1")),
            ("/api/numbers/{phoneNumberId}/chats/messages", await h.ChatMessagesAsync(PhoneNumberId, null)),
            ("/api/numbers/{phoneNumberId}/messages", await h.MessageAsync(PhoneNumberId, "wamid=" + Uri.EscapeDataString("wamid.HBgL/abc+def="))),
            ("/api/numbers/{phoneNumberId}/messages", await h.MessageAsync(PhoneNumberId, "wamid=unknown")),
            ("/api/numbers/{phoneNumberId}/messages", await h.MessageAsync(PhoneNumberId, "")),
            // The media file: a stored text message has none, an unknown wamid is no message (200 is a file: ReadApi/MediaFileTests).
            ("/api/numbers/{phoneNumberId}/media", await h.MediaAsync(PhoneNumberId, "wamid=" + Uri.EscapeDataString("wamid.HBgL/abc+def="))),
            ("/api/numbers/{phoneNumberId}/media", await h.MediaAsync(PhoneNumberId, "wamid=unknown")),
            ("/api/numbers/{phoneNumberId}/media", await h.MediaAsync(PhoneNumberId, "")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "15550003333")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "447700900123", "pageSize=100")),
            ("/api/numbers/{phoneNumberId}/chats/{chatId}/messages", await h.MessagesAsync(PhoneNumberId, "4915199999999")),
            ("/api/numbers/{phoneNumberId}/statuses", await h.StatusesAsync(PhoneNumberId, "wamid=wamid.b")),
            ("/api/numbers/{phoneNumberId}/statuses", await h.StatusesAsync(PhoneNumberId, "wamid=wamid.api")),
            ("/api/numbers/{phoneNumberId}/statuses", await h.StatusesAsync(PhoneNumberId, "wamid=unknown")),
            ("/api/numbers/{phoneNumberId}/statuses", await h.StatusesAsync(PhoneNumberId, "")),
            ("/api/numbers/{phoneNumberId}/contacts", await h.ContactsAsync(PhoneNumberId)),
            ("/api/numbers/{phoneNumberId}/contacts", await h.ContactsAsync(PhoneNumberId, "includeRemoved=true")),
            ("/api/numbers/{phoneNumberId}/contacts", await h.ContactsAsync(PhoneNumberId, "pageSize=0")),
            ("/api/numbers/{phoneNumberId}/history", await h.HistoryAsync(PhoneNumberId)),
            ("/api/numbers/{phoneNumberId}/history", await h.HistoryAsync("1")),
            ("/api/numbers/{phoneNumberId}", await h.NumberAsync(PhoneNumberId)),
            ("/api/numbers/{phoneNumberId}", await h.NumberAsync("1")),
            ("/api/numbers/{phoneNumberId}", await h.NumberAsync("x")),
            // With the per-number scope on, a request without a caller from App Service authentication.
            ("/api/numbers/{phoneNumberId}/chats", await (await ReadApiHarness.CreateAsync(new ReadApiOptions { RequireNumberRoles = true }))
                .ChatsAsync(PhoneNumberId)),
        };
        foreach (var (path, response) in cases)
        {
            var status = ((int)response.StatusCode).ToString();
            var described = Doc.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses");
            Assert.True(described.TryGetProperty(status, out var r), $"{path}: status {status} is not described");
            var contentType = response.Header("Content-Type")!;
            Assert.True(Resolve(r).GetProperty("content").TryGetProperty(contentType, out var media), $"{path} {status}: {contentType} is not described");
            using var body = JsonDocument.Parse(response.BodyText);
            var errors = new List<string>();
            Validate(media.GetProperty("schema"), body.RootElement, "$", errors);
            Assert.True(errors.Count == 0, $"{path} {status}: {string.Join("; ", errors)}\n{response.BodyText}");
        }
        // The samples populate the optional parts too, so the schema of each is exercised.
        Assert.Contains(cases, c => c.Response.BodyText.Contains("\"mimeType\""));
        Assert.Contains(cases, c => c.Response.BodyText.Contains("\"removedAt\": 1700000100"));
        Assert.Contains(cases, c => c.Response.BodyText.Contains("\"declined\""));
        Assert.Contains(cases, c => c.Response.BodyText.Contains("\"details\": \"Message Undeliverable.\""));
        Assert.Contains(cases, c => c.Response.BodyText.Contains("\"messageStored\": false"));
        Assert.Contains(cases, c => c.Path.EndsWith("/messages", StringComparison.Ordinal) && c.Response.BodyText.Contains("\"delivery\": {"));
        foreach (var shape in new[] { "\"latitude\"", "\"formattedName\"", "\"responseJson\"", "\"payload\"", "\"productRetailerId\"", "\"previousUserId\"",
                     "\"raw\": {", "\"replyTo\": {", "\"referral\": {", "\"errors\": [", "\"reactions\": {", "\"filename\": \"invoice-0042.pdf\"",
                     "\"frequentlyForwarded\": true", "\"initiatedBy\": \"SYSTEM\"", "\"opensAt\"" })
            Assert.Contains(cases, c => c.Response.BodyText.Contains(shape));
    }

    [Fact]
    public void The_checker_refuses_what_does_not_match()
    {
        var schema = Resolve(JsonDocument.Parse("""{"$ref":"#/components/schemas/ChatPage"}""").RootElement);
        string[] bad =
        [
            """{"items":[],"next":null}""",
            """{"items":[],"next":null,"previous":null,"extra":1}""",
            """{"items":[{"chatId":"1","lastMessageAt":"soon","messageCount":1}],"next":null,"previous":null}""",
            """{"items":[{"chatId":"1","lastMessageAt":1.5,"messageCount":1}],"next":null,"previous":null}""",
            """{"items":{},"next":null,"previous":null}""",
        ];
        foreach (var json in bad)
        {
            var errors = new List<string>();
            Validate(schema, JsonDocument.Parse(json).RootElement, "$", errors);
            Assert.True(errors.Count > 0, json);
        }
    }

    private static JsonElement Resolve(JsonElement node)
    {
        while (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var r))
        {
            node = Doc;
            foreach (var part in r.GetString()!.TrimStart('#', '/').Split('/')) node = node.GetProperty(part);
        }
        return node;
    }

    /// <summary>The JSON Schema subset the document uses: $ref, type (one or several), enum, properties, required, additionalProperties: false, items, oneOf.</summary>
    private static void Validate(JsonElement schema, JsonElement value, string at, List<string> errors)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var matching = oneOf.EnumerateArray().Count(s => { var e = new List<string>(); Validate(s, value, at, e); return e.Count == 0; });
            if (matching != 1) errors.Add($"{at}: matches {matching} of oneOf");
            return;
        }
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Contains(TypeOf(value))) { errors.Add($"{at}: {TypeOf(value)} is not {string.Join("|", types)}"); return; }
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ToString() == value.ToString()))
            errors.Add($"{at}: {value} is not in the enum");
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value) : [];
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    if (!value.TryGetProperty(name, out _)) errors.Add($"{at}: {name} is missing");
            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetValue(property.Name, out var s)) Validate(s, property.Value, $"{at}.{property.Name}", errors);
                else if (schema.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False) errors.Add($"{at}: {property.Name} is not described");
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) Validate(items, item, $"{at}[{i++}]", errors);
        }
    }

    private static string TypeOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
