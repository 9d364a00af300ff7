using System.Text.Json;
using static Coexistence.Tests.ReadApi.ReadApiHarness;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.ReadApi;

public class MessagePagingTests
{
    private const int LargeChatSize = 3000;

    private static async Task<ReadApiHarness> LargeChatAsync()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.Pipeline.DeliverAsync(LargeHistoryChunk(1, LargeChatSize, textLength: 20));
        return h;
    }

    private static List<string> Ids(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("id").GetString()!).ToList();

    private static readonly List<string> LargeChatIds = Enumerable.Range(0, LargeChatSize).Select(m => LargeMessageId(0, m)).ToList();

    [Fact]
    public async Task A_chat_of_thousands_of_messages_pages_forwards_and_backwards_every_message_exactly_once_in_order()
    {
        var h = await LargeChatAsync();
        var chat = ChatId(0);

        var first = await h.MessagesAsync(PhoneNumberId, chat, "pageSize=250");
        Assert.Null(PageOf(first).Previous);
        var forwards = await FollowAsync(first, "next", q => h.MessagesAsync(PhoneNumberId, chat, "pageSize=250&" + q), prepend: false);
        Assert.Equal(LargeChatIds, Ids(forwards.Items));
        Assert.Equal(12, forwards.Pages);

        var latest = await h.MessagesAsync(PhoneNumberId, chat, "start=latest&pageSize=333");
        Assert.Null(PageOf(latest).Next);
        Assert.Equal(LargeChatIds[^333..], Ids(PageOf(latest).Items));
        var backwards = await FollowAsync(latest, "previous", q => h.MessagesAsync(PhoneNumberId, chat, "pageSize=333&" + q), prepend: true);
        Assert.Equal(LargeChatIds, Ids(backwards.Items));
        Assert.Equal(10, backwards.Pages);

        var max = await FollowAsync(await h.MessagesAsync(PhoneNumberId, chat, "pageSize=1000"), "next",
            q => h.MessagesAsync(PhoneNumberId, chat, "pageSize=1000&" + q), prepend: false);
        Assert.Equal(LargeChatIds, Ids(max.Items));
        Assert.Equal(3, max.Pages);
    }

    [Fact]
    public async Task Previous_and_next_return_exactly_the_neighbouring_pages()
    {
        var h = await LargeChatAsync();
        var chat = ChatId(0);
        Task<Coexistence.Tests.Functions.FakeHttpResponse> Get(string? token) => h.MessagesAsync(PhoneNumberId, chat, "pageSize=100" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));

        var page1 = PageOf(await Get(null));
        var page2 = PageOf(await Get(page1.Next));
        var page3 = PageOf(await Get(page2.Next));
        Assert.Equal(LargeChatIds[200..300], Ids(page3.Items));

        var back = PageOf(await Get(page3.Previous));
        Assert.Equal(LargeChatIds[100..200], Ids(back.Items));
        var backAgain = PageOf(await Get(back.Previous));
        Assert.Equal(LargeChatIds[..100], Ids(backAgain.Items));
        Assert.Null(backAgain.Previous);
        Assert.Equal(LargeChatIds[100..200], Ids(PageOf(await Get(backAgain.Next)).Items));
        Assert.Equal(LargeChatIds[200..300], Ids(PageOf(await Get(back.Next)).Items));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(60)]
    public async Task Gaps_of_years_and_messages_in_the_same_second_page_correctly_both_ways(int pageSize)
    {
        var h = await ReadApiHarness.CreateAsync();
        var chat = "15550002222";
        // Bursts in the same second, hours, months and years apart, and ids with '/', '+', '=', '%' and '|'.
        var times = new long[] { 5, 1_000_000_000, 1_000_000_000, 1_000_000_000, 1_400_000_000, 1_699_999_999, 1_700_000_000, 1_700_000_000, 1_700_003_600, 1_700_003_601 };
        var messages = times.SelectMany((t, i) => Enumerable.Range(0, 6).Select(k => Message($"wamid.HBg{i}/{k}+a{(k % 3 == 0 ? "%2F" : "|")}=", chat, t + (k % 2)))).ToList();
        await h.WriteAsync(PhoneNumberId, messages);
        await h.WriteAsync(PhoneNumberId, [Message("wamid.other", "15550003333", 1_700_000_000)]);
        var expected = messages.OrderBy(m => MessagesTable.ChatRowKey(m.ChatId, m.Timestamp, m.Id), StringComparer.Ordinal).Select(m => m.Id).ToList();

        var forwards = await FollowAsync(await h.MessagesAsync(PhoneNumberId, chat, $"pageSize={pageSize}"), "next",
            q => h.MessagesAsync(PhoneNumberId, chat, $"pageSize={pageSize}&" + q), prepend: false);
        Assert.Equal(expected, Ids(forwards.Items));

        var backwards = await FollowAsync(await h.MessagesAsync(PhoneNumberId, chat, $"start=latest&pageSize={pageSize}"), "previous",
            q => h.MessagesAsync(PhoneNumberId, chat, $"pageSize={pageSize}&" + q), prepend: true);
        Assert.Equal(expected, Ids(backwards.Items));
        Assert.Equal((expected.Count + pageSize - 1) / pageSize, backwards.Pages);
    }

    [Fact]
    public async Task The_items_are_the_views_of_show_messages_json()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.Pipeline.DeliverAsync(HistoryChunk(1, 1, 50, Thread("15550002222",
            Text("wamid.in1", "15550002222", 1_699_999_000, "hi there"),
            Text("wamid.HBgL/abc+def=", BusinessDigits, 1_700_000_100, "héllo", to: "15550002222"))));

        var page = PageOf(await h.MessagesAsync(PhoneNumberId, "+1 555-000-2222"));
        var cli = await h.Pipeline.Queries.GetMessagesAsync(PhoneNumberId, "15550002222", default);
        Assert.Equal(JsonSerializer.Serialize(cli), JsonSerializer.Serialize(page.Items));
        Assert.Null(page.Next);
        Assert.Null(page.Previous);
    }
}
