using System.Net;
using System.Text;
using System.Text.Json;
using Coexistence.Tests.Support;
using static Coexistence.Tests.ReadApi.ReadApiHarness;
using static Coexistence.Tests.Support.WebhookBuilder;
using QueryApi = Coexistence.Queries.ReadApi;

namespace Coexistence.Tests.ReadApi;

public class ReadApiRequestTests
{
    private const string OtherNumber = "106540352240000";

    [Fact]
    public async Task Empty_and_unknown_numbers_read_as_empty_not_as_errors()
    {
        var h = await ReadApiHarness.CreateAsync();
        foreach (var response in new[]
        {
            await h.ChatsAsync("999"), await h.MessagesAsync("999", "15550002222"), await h.MessagesAsync("999", "15550002222", "start=latest"),
            await h.ContactsAsync("999"), await h.ContactsAsync("999", "includeRemoved=true"),
        })
        {
            var page = PageOf(response);
            Assert.Empty(page.Items);
            Assert.Null(page.Next);
            Assert.Null(page.Previous);
            Assert.Equal("application/json", response.Header("Content-Type"));
            Assert.Equal("no-store", response.Header("Cache-Control"));
        }
        var history = await h.HistoryAsync("999");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(ViewJson.Serialize(new HistoryStatusView("not_started", 0, 0, null, [], [], new PlaceholdersView(0, 0))), history.BodyText);
        AssertProblem(await h.MessageAsync("999", "wamid=wamid.x"), 404, QueryApi.MessageNotFound);
    }

    [Theory]
    [InlineData("12a")]
    [InlineData("")]
    [InlineData("+15550001111")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("1' or PartitionKey ne '")]
    public async Task An_invalid_phone_number_id_gets_400_from_every_function(string pnid)
    {
        var h = await ReadApiHarness.CreateAsync();
        AssertProblem(await h.ChatsAsync(pnid), 400, QueryApi.InvalidPhoneNumberId);
        AssertProblem(await h.MessagesAsync(pnid, "15550002222"), 400, QueryApi.InvalidPhoneNumberId);
        AssertProblem(await h.MessageAsync(pnid, "wamid=x"), 400, QueryApi.InvalidPhoneNumberId);
        AssertProblem(await h.ContactsAsync(pnid), 400, QueryApi.InvalidPhoneNumberId);
        AssertProblem(await h.HistoryAsync(pnid), 400, QueryApi.InvalidPhoneNumberId);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1555|x")]
    [InlineData("123456789012345678901234567890123")]
    public async Task An_invalid_chat_id_gets_400(string chatId)
    {
        var h = await ReadApiHarness.CreateAsync();
        AssertProblem(await h.MessagesAsync(PhoneNumberId, chatId), 400, QueryApi.InvalidChatId);
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=1001")]
    [InlineData("pageSize=-5")]
    [InlineData("pageSize=abc")]
    [InlineData("pageSize=1.5")]
    [InlineData("pageSize=99999999999")]
    public async Task A_page_size_out_of_bounds_gets_400(string query)
    {
        var h = await ReadApiHarness.CreateAsync();
        AssertProblem(await h.ChatsAsync(PhoneNumberId, query), 400, QueryApi.InvalidPageSize);
        AssertProblem(await h.MessagesAsync(PhoneNumberId, "15550002222", query), 400, QueryApi.InvalidPageSize);
        AssertProblem(await h.ContactsAsync(PhoneNumberId, query), 400, QueryApi.InvalidPageSize);
    }

    [Fact]
    public async Task The_default_page_size_applies_without_one_and_a_configured_maximum_is_enforced()
    {
        var h = await ReadApiHarness.CreateAsync(new ReadApiOptions { DefaultPageSize = 3, MaxPageSize = 4 });
        await h.WriteAsync(PhoneNumberId, Enumerable.Range(0, 10).Select(i => Message($"wamid.{i}", ChatId(i), 1_700_000_000 + i)));

        Assert.Equal(3, PageOf(await h.ChatsAsync(PhoneNumberId)).Items.Count);
        Assert.Equal(4, PageOf(await h.ChatsAsync(PhoneNumberId, "pageSize=4")).Items.Count);
        AssertProblem(await h.ChatsAsync(PhoneNumberId, "pageSize=5"), 400, QueryApi.InvalidPageSize);
        Assert.Contains("ReadApi:MaxPageSize must be between 1 and 1000", TestServices.SettingsError(("ReadApi:MaxPageSize", "1001")));
        Assert.Contains("ReadApi:DefaultPageSize must be between 1 and ReadApi:MaxPageSize", TestServices.SettingsError(("ReadApi:DefaultPageSize", "0")));
        Assert.Contains("ReadApi:TokenKey must be at least 32 characters", TestServices.SettingsError(("ReadApi:TokenKey", "short")));
    }

    [Fact]
    public async Task Chats_page_most_recent_first_and_match_show_chats_json()
    {
        var h = await ReadApiHarness.CreateAsync();
        // 25 chats; some share their last activity time, so ties are ordered by chat id.
        await h.WriteAsync(PhoneNumberId, Enumerable.Range(0, 25).Select(i => Message($"wamid.c{i}", ChatId(i), 1_700_000_000 + i / 3)));

        var all = await FollowAsync(await h.ChatsAsync(PhoneNumberId, "pageSize=4"), "next", q => h.ChatsAsync(PhoneNumberId, "pageSize=4&" + q), prepend: false);
        var cli = await h.Pipeline.Queries.GetChatsAsync(PhoneNumberId, default);
        Assert.Equal(25, cli.Count);
        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(all.Items));
        Assert.Equal(7, all.Pages);

        var lastPage = await h.ChatsAsync(PhoneNumberId, "pageSize=4&continuationToken=" + Uri.EscapeDataString(PageOf(await h.ChatsAsync(PhoneNumberId, "pageSize=24")).Next!));
        var back = await FollowAsync(lastPage, "previous", q => h.ChatsAsync(PhoneNumberId, "pageSize=4&" + q), prepend: true);
        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(back.Items));
    }

    [Fact]
    public async Task A_tampered_token_gets_400_never_data()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.WriteAsync(PhoneNumberId, Enumerable.Range(0, 5).Select(i => Message($"wamid.{i}", "15550002222", 1_700_000_000 + i)));
        var token = PageOf(await h.MessagesAsync(PhoneNumberId, "15550002222", "pageSize=2")).Next!;
        var dot = token.IndexOf('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(0, dot)));

        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("15550002222", "15550003333"))) + token[dot..];
        var tampered = new List<string>
        {
            forged,
            token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1],
            token[..dot],
            token + ".x",
            "not a token",
            "%%%.%%%",
            new string('a', 5000),
            System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + System.Buffers.Text.Base64Url.EncodeToString(new byte[32]),
        };
        for (var i = 0; i < dot; i += 7)
            tampered.Add(token[..i] + (token[i] == 'x' ? 'y' : 'x') + token[(i + 1)..]);

        foreach (var t in tampered.Distinct().Where(t => t != token))
            AssertProblem(await h.MessagesAsync(PhoneNumberId, "15550002222", "continuationToken=" + Uri.EscapeDataString(t)), 400, QueryApi.InvalidContinuationToken);

        // Signed with another key (another deployment, or before a restart without ReadApi:TokenKey).
        var other = new ContinuationTokens(new byte[32]).Issue(new PageCursor("messages", PhoneNumberId, "15550002222", new PagePosition(PageDirection.After, "c|")));
        AssertProblem(await h.MessagesAsync(PhoneNumberId, "15550002222", "continuationToken=" + Uri.EscapeDataString(other)), 400, QueryApi.InvalidContinuationToken);
    }

    [Fact]
    public async Task A_token_from_another_chat_number_or_listing_gets_400()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.WriteAsync(PhoneNumberId, Enumerable.Range(0, 5).Select(i => Message($"wamid.{i}", "15550002222", 1_700_000_000 + i)));
        await h.WriteAsync(PhoneNumberId, Enumerable.Range(0, 5).Select(i => Message($"wamid.x{i}", "15550003333", 1_700_000_000 + i)));
        await h.WriteAsync(OtherNumber, Enumerable.Range(0, 5).Select(i => Message($"wamid.o{i}", "15550002222", 1_700_000_000 + i)));
        await h.Pipeline.DeliverAsync(Contacts(ContactAdd("15550002222", "A", "A", "1700000000"), ContactAdd("15550003333", "B", "B", "1700000000"),
            ContactAdd("15550004444", "C", "C", "1700000000")));
        var messages = PageOf(await h.MessagesAsync(PhoneNumberId, "15550002222", "pageSize=2")).Next!;
        var chats = PageOf(await h.ChatsAsync(PhoneNumberId, "pageSize=1")).Next!;
        var contacts = PageOf(await h.ContactsAsync(PhoneNumberId, "pageSize=1")).Next!;
        var withRemoved = PageOf(await h.ContactsAsync(PhoneNumberId, "pageSize=1&includeRemoved=true")).Next!;
        static string T(string token) => "continuationToken=" + Uri.EscapeDataString(token);

        var problem = AssertProblem(await h.MessagesAsync(PhoneNumberId, "15550003333", T(messages)), 400, QueryApi.InvalidContinuationToken);
        Assert.Contains("another", problem.GetProperty("detail").GetString());
        AssertProblem(await h.MessagesAsync(PhoneNumberId, "+1 555 000 3333", T(messages)), 400, QueryApi.InvalidContinuationToken);
        AssertProblem(await h.MessagesAsync(OtherNumber, "15550002222", T(messages)), 400, QueryApi.InvalidContinuationToken);
        AssertProblem(await h.ChatsAsync(OtherNumber, T(chats)), 400, QueryApi.InvalidContinuationToken);
        AssertProblem(await h.ContactsAsync(PhoneNumberId, T(chats)), 400, QueryApi.InvalidContinuationToken);
        AssertProblem(await h.ChatsAsync(PhoneNumberId, T(contacts)), 400, QueryApi.InvalidContinuationToken);
        AssertProblem(await h.ContactsAsync(PhoneNumberId, T(withRemoved)), 400, QueryApi.InvalidContinuationToken);
        AssertProblem(await h.ContactsAsync(PhoneNumberId, "includeRemoved=true&" + T(contacts)), 400, QueryApi.InvalidContinuationToken);

        // The same tokens work where they were issued; the chat id may be written differently.
        Assert.Equal(2, PageOf(await h.MessagesAsync(PhoneNumberId, "+1 555-000-2222", "pageSize=2&" + T(messages))).Items.Count);
        Assert.Single(PageOf(await h.ContactsAsync(PhoneNumberId, "pageSize=1&includeRemoved=TRUE&" + T(withRemoved))).Items);
    }

    [Fact]
    public async Task Contacts_list_current_ones_and_with_includeRemoved_the_removed_ones_with_when()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.Pipeline.DeliverAsync(Contacts(
            ContactAdd("+1 555-123-4567", "Ada Lovelace", "Ada", "1700000000"),
            ContactAdd("447700900123", "Grace Hopper", "Grace", "1700000000"),
            ContactAdd("33612345678", "Marie", "Marie", "1700000000")));
        await h.Pipeline.DeliverAsync(Contacts(ContactRemove("447700900123", "1700000600")));

        var current = await h.ContactsAsync(PhoneNumberId);
        var cli = await h.Pipeline.Queries.GetContactsAsync(PhoneNumberId, default);
        Assert.Equal(2, cli.Count);
        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(PageOf(current).Items));
        Assert.DoesNotContain("removed", current.BodyText);
        AssertProblem(await h.ContactsAsync(PhoneNumberId, "includeRemoved=yes"), 400, QueryApi.InvalidParameter);

        var all = await FollowAsync(await h.ContactsAsync(PhoneNumberId, "includeRemoved=true&pageSize=1"), "next",
            q => h.ContactsAsync(PhoneNumberId, "includeRemoved=true&pageSize=1&" + q), prepend: false);
        Assert.Equal(3, all.Pages);
        Assert.Equal(["15551234567", "33612345678", "447700900123"], all.Items.Select(c => c.GetProperty("phoneNumber").GetString()!).ToArray());
        var removed = all.Items[2];
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.Equal(1_700_000_600, removed.GetProperty("removedAt").GetInt64());
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("fullName").ValueKind);
        Assert.False(all.Items[0].GetProperty("removed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, all.Items[0].GetProperty("removedAt").ValueKind);

        // Current ones only, one per page, forwards then back: the removed contact is skipped both ways.
        var forwards = await FollowAsync(await h.ContactsAsync(PhoneNumberId, "pageSize=1"), "next", q => h.ContactsAsync(PhoneNumberId, "pageSize=1&" + q), prepend: false);
        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(forwards.Items));
        var last = await h.ContactsAsync(PhoneNumberId, "pageSize=1&continuationToken=" + Uri.EscapeDataString(PageOf(await h.ContactsAsync(PhoneNumberId, "pageSize=1")).Next!));
        var backwards = await FollowAsync(last, "previous", q => h.ContactsAsync(PhoneNumberId, "pageSize=1&" + q), prepend: true);
        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(backwards.Items));
    }

    [Theory]
    [InlineData("wamid.HBgL/abc+def=")]
    [InlineData("wamid.HBgLMTU1NTAwMDIyMjIVAgARGBI5QTdCQzYxNDI0RkU2OEQ3QTEA/+/==")]
    [InlineData("wamid.100%|pct?#\\x")]
    public async Task A_message_is_found_by_its_wamid_percent_encoded_in_the_query(string wamid)
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.WriteAsync(PhoneNumberId, [Message(wamid, "15550002222", 1_700_000_000, "héllo")]);

        var response = await h.MessageAsync(PhoneNumberId, "wamid=" + Uri.EscapeDataString(wamid));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await h.Pipeline.Queries.GetMessageAsync(PhoneNumberId, wamid, default);
        Assert.Equal(ViewJson.Serialize(expected), response.BodyText);

        // A '+' left unencoded arrives as a space; it is read back as '+'.
        var sloppy = await h.MessageAsync(PhoneNumberId, "wamid=" + Uri.EscapeDataString(wamid).Replace("%2B", "+"));
        Assert.Equal(response.BodyText, sloppy.BodyText);

        AssertProblem(await h.MessageAsync(OtherNumber, "wamid=" + Uri.EscapeDataString(wamid)), 404, QueryApi.MessageNotFound);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wamid=")]
    [InlineData("other=1")]
    [InlineData("wamid=%00x")]
    public async Task A_missing_or_unusable_wamid_gets_400(string query)
    {
        var h = await ReadApiHarness.CreateAsync();
        AssertProblem(await h.MessageAsync(PhoneNumberId, query), 400, QueryApi.InvalidParameter);
        AssertProblem(await h.MessageAsync(PhoneNumberId, "wamid=" + new string('a', 257)), 400, QueryApi.InvalidParameter);
    }

    [Fact]
    public async Task An_unknown_start_gets_400_and_the_history_status_is_the_show_history_view()
    {
        var h = await ReadApiHarness.CreateAsync();
        AssertProblem(await h.MessagesAsync(PhoneNumberId, "15550002222", "start=newest"), 400, QueryApi.InvalidParameter);

        await h.Pipeline.DeliverAsync(HistoryChunk(1, 1, 40, Thread("15550002222", Text("wamid.a", "15550002222", 1_700_000_000, "x"))));
        var response = await h.HistoryAsync(PhoneNumberId);
        Assert.Equal(ViewJson.Serialize(await h.Pipeline.Queries.GetHistoryStatusAsync(PhoneNumberId, default)), response.BodyText);
        Assert.Contains("\"in_progress\"", response.BodyText);
    }
}
