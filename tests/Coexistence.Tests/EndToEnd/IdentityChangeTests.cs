using Coexistence.Tests.Support;
using Coexistence.Tests.Webhooks;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// A customer's change of number (<c>user_changed_number</c>) or user id (<c>user_changed_user_id</c>) through the
/// door, the queues and the tables against Azurite, from the documented shapes (Fixtures/README.md): the old id's chat
/// joins the new id's, in any order of arrival, one row per message, the old chat no longer listed.
/// </summary>
public class IdentityChangeTests
{
    private static byte[] F(string name) => Fixtures.Bytes(name);

    /// <summary>Lena's history and an echo to her old number: her chat before any change.</summary>
    private static readonly byte[][] LenasOldChat = [F("partner-history-phase0-chunk1.json"), F("meta-echo-location.json")];

    private const string NewEchoId = "wamid.HBgNNDkxNTE5OTk5OTk5ORUCABEYEjBGNEFEQ0Y5QjRFQkUzRjEwAA==";

    /// <summary>An echo to Lena's new number.</summary>
    private static byte[] EchoToNewNumber() =>
        WebhookBuilder.Echo(WebhookBuilder.EchoText(NewEchoId, "+49 151 99999999", 1_718_030_000, "Welcome back, Lena"));

    private static async Task<HashSet<string>> ChatIdsOfAsync(PipelineHarness h, string chatId) =>
        (await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, chatId, default)).Select(m => m.Id).ToHashSet();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_change_of_number_joins_the_old_numbers_chat_into_the_new_ones_in_either_order(bool changeFirst)
    {
        // What Lena's old chat holds without a change: the oracle for what must move.
        var before = await PipelineHarness.CreateAsync();
        await before.DeliverAllAsync(LenasOldChat);
        var oldChat = await ChatIdsOfAsync(before, Corpus.Lena);
        Assert.NotEmpty(oldChat);

        var change = F("meta-messages-system-user-changed-number-2026.json");
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(changeFirst ? [change, .. LenasOldChat, EchoToNewNumber()] : [.. LenasOldChat, EchoToNewNumber(), change, change]);

        var chats = await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default);
        Assert.DoesNotContain(chats, c => c.ChatId == Corpus.Lena);
        var joined = Assert.Single(chats, c => c.ChatId == Corpus.LenaNew);
        var messages = await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.LenaNew, default);
        Assert.Equal(oldChat.Concat([Corpus.M7, NewEchoId]).Order(StringComparer.Ordinal), messages.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(messages.Count, joined.MessageCount);
        Assert.Empty(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Lena, default));
        // Old messages keep the number they were sent from or to; who they are with is Lena at her new number.
        var system = Assert.Single(messages, m => m.Id == Corpus.M7);
        Assert.Equal(("system", Corpus.Lena, "User Lena Vogel changed from 4915123456789 to 4915199999999"), (system.Type, system.From, system.Text));
        Assert.All(messages, m => Assert.Equal(Corpus.LenaNew, m.Customer?.Phone));
        Assert.All(messages.Where(m => oldChat.Contains(m.Id)), m => Assert.Equal(Corpus.Lena, m.Direction == "outbound" ? m.To : m.From));
        Assert.Equal(Corpus.LenaNew, Assert.Single(messages, m => m.Id == NewEchoId).To);
        Assert.Empty(await HistoryPipelineTests.QuarantineRowsAsync(h));
    }

    [Fact]
    public async Task Both_orders_leave_the_same_rows()
    {
        var change = F("meta-messages-system-user-changed-number-2026.json");
        var first = await PipelineHarness.CreateAsync();
        await first.DeliverAllAsync([change, .. LenasOldChat, EchoToNewNumber()]);
        var second = await PipelineHarness.CreateAsync();
        await second.DeliverAllAsync([EchoToNewNumber(), .. LenasOldChat.Reverse(), change]);
        static async Task<List<string>> DumpAsync(PipelineHarness h) =>
            (await TableDump.DumpAsync(h.Storage)).Select(l => System.Text.RegularExpressions.Regex.Replace(l, "WebhookId=\\w+", "")).ToList();
        Assert.Equal(await DumpAsync(first), await DumpAsync(second));
    }

    [Fact]
    public async Task A_later_change_of_the_new_number_moves_everything_on()
    {
        const string third = "4915177777777";
        var again = WebhookBuilder.Meta("messages", $$$"""
            "messages":[{"from":"{{{Corpus.LenaNew}}}","id":"wamid.third.change=","timestamp":"1718040000","type":"system",
                         "system":{"body":"User Lena Vogel changed from {{{Corpus.LenaNew}}} to {{{third}}}","wa_id":"{{{third}}}","type":"user_changed_number"}}]
            """);
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([again, .. LenasOldChat, F("meta-messages-system-user-changed-number-2026.json"), EchoToNewNumber()]);

        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default), c => c.ChatId.StartsWith("49", StringComparison.Ordinal));
        Assert.Equal(third, chat.ChatId);
        Assert.Contains(NewEchoId, await ChatIdsOfAsync(h, third));
        Assert.Contains("wamid.third.change=", await ChatIdsOfAsync(h, third));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_change_of_user_id_joins_the_old_user_ids_chat_into_the_new_ones(bool changeFirst)
    {
        var change = F("meta-messages-system-user-changed-user-id.json");
        byte[][] maria = [F("meta-messages-bsuid-only.json"), F("meta-echo-bsuid-only.json")];
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(changeFirst ? [change, .. maria] : [.. maria, change]);

        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        Assert.Equal((Corpus.MariaNewUserId, 3L), (chat.ChatId, chat.MessageCount));
        Assert.Equal(new[] { Corpus.U1, Corpus.U2, Corpus.M8 }.Order(StringComparer.Ordinal),
            (await ChatIdsOfAsync(h, Corpus.MariaNewUserId)).Order(StringComparer.Ordinal));
        // Each message keeps the user id its item named.
        var inbound = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.MariaNewUserId, default), m => m.Id == Corpus.U1);
        Assert.Equal((null, Corpus.MariaUserId), (inbound.Customer?.Phone, inbound.Customer?.UserId));
    }

    [Fact]
    public async Task A_change_that_cannot_be_followed_is_quarantined_and_moves_nothing()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([.. LenasOldChat, F("meta-messages-system-bad-changes.json")]);

        Assert.Equal(3, (await HistoryPipelineTests.QuarantineRowsAsync(h)).Count);
        var chats = await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default);
        Assert.Contains(chats, c => c.ChatId == Corpus.Lena);
        Assert.Contains("wamid.good.system", await ChatIdsOfAsync(h, Corpus.Lena));
        var changeRows = 0;
        await foreach (var _ in h.Storage.Table(h.Storage.Names.MessagesTable).QueryAsync<Azure.Data.Tables.TableEntity>(
                           MessagesTable.ChangeRowsFilter(Corpus.PhoneNumberId)))
            changeRows++;
        Assert.Equal(0, changeRows);
    }
}
