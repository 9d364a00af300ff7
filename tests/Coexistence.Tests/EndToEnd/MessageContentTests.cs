using Coexistence.Tests.Support;
using Coexistence.Tests.Webhooks;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// Every documented message type is readable (issue 16): typed content, media details, errors, replies, forwards,
/// referrals, and reactions on their target, through the door, the queues and the tables against Azurite, from Meta's
/// documented shapes (Fixtures/README.md). Expected values are the fixture's own, read off the JSON by hand.
/// </summary>
public class MessageContentTests
{
    private static byte[] F(string name) => Fixtures.Bytes(name);

    private static async Task<IReadOnlyList<MessageView>> OliversAsync(params string[] fixtures)
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(fixtures.Select(F));
        return await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default);
    }

    private static MessageView One(IReadOnlyList<MessageView> messages, string id) => Assert.Single(messages, m => m.Id == id);

    [Fact]
    public async Task A_location_shows_its_coordinates_name_and_address()
    {
        var location = One(await OliversAsync("meta-messages-location-and-reaction.json"), Corpus.M4);
        Assert.Equal(new LocationView(51.5072, -0.1276, "Philz Coffee", "1 Main St, London", null), location.Content);
    }

    [Fact]
    public async Task A_contact_card_shows_its_name_company_and_every_phone_email_and_url()
    {
        var card = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<ContactCardView>>(
            One(await OliversAsync("meta-messages-every-type.json"), "wamid.T.contacts").Content));
        Assert.Equal(new ContactCardView("Pablo Morales", "Pablo", "Morales", "Lucky Shrub", "2012-08-18",
            [new ContactPointView("+1 (415) 555-0100", "MOBILE", "14155550100")], [new ContactPointView("pablomorales@example.com", "WORK", null)],
            [new ContactPointView("https://www.luckyshrub.com", "WORK", null)]), card);
    }

    [Fact]
    public async Task Interactive_replies_buttons_and_orders_are_typed()
    {
        var messages = await OliversAsync("meta-messages-every-type.json");
        Assert.Equal(new InteractiveView("button_reply", "yes-button", "Yes", null, null, null, null), One(messages, "wamid.T.button_reply").Content);
        Assert.Equal(new InteractiveView("list_reply", "priority_express", "Express Shipping", "Next Day to 2 Days", null, null, null),
            One(messages, "wamid.T.list_reply").Content);
        var flow = Assert.IsType<InteractiveView>(One(messages, "wamid.T.nfm_reply").Content);
        Assert.Equal(("nfm_reply", "flow", "Sent", """{"flow_token":"AQAAAAACS5FpgQ_cAAAAAD0QI3s","screen_0_choice":"1"}"""),
            (flow.Type, flow.Name, flow.Body, flow.ResponseJson));
        var button = One(messages, "wamid.T.button");
        Assert.Equal(new ButtonView("Unsubscribe", "Unsubscribe from promotions"), button.Content);
        Assert.Equal(new ReplyToView("wamid.T.template", Corpus.BusinessNumber), button.ReplyTo);
        Assert.Equal(new OrderView("194836987003835", "Thanks, here is my order", [new OrderItemView("di9ozbzfi4", 2, 30.5, "USD")]),
            One(messages, "wamid.T.order").Content);
    }

    [Fact]
    public async Task Media_details_errors_and_types_without_content_are_shown()
    {
        var messages = await OliversAsync("meta-messages-every-type.json");
        Assert.Equal(("invoice-0042.pdf", "Invoice"), (One(messages, "wamid.T.document").Media?.Filename, One(messages, "wamid.T.document").Media?.Caption));
        Assert.True(One(messages, "wamid.T.voice").Media?.Voice);
        Assert.True(One(messages, "wamid.T.sticker").Media?.Animated);
        var unsupported = One(messages, "wamid.T.unsupported");
        Assert.Equal(new ErrorView(131051, "Message type unknown", "Message type unknown", "Message type is currently not supported."),
            Assert.Single(unsupported.Errors!));
        var welcome = One(messages, "wamid.T.request_welcome");
        Assert.Equal(("request_welcome", null, null), (welcome.Type, welcome.Content, welcome.Text));
    }

    [Fact]
    public async Task A_template_shows_its_name_language_and_components()
    {
        // An echo of a template (its shape as the Cloud API sends one: name, language.code, components).
        var echo = WebhookBuilder.Echo($$$"""
            {"from":"{{{Corpus.BusinessNumber}}}","to":"{{{Corpus.Oliver}}}","id":"wamid.T.template","timestamp":"1718100000","type":"template",
            "template":{"name":"order_update","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"42"}]}]}}
            """);
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(echo);

        var template = Assert.IsType<TemplateView>(Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default)).Content);
        Assert.Equal(("order_update", "en_US"), (template.Name, template.Language));
        Assert.Equal("42", template.Components!.Value[0].GetProperty("parameters")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_reaction_in_a_history_thread_is_on_its_target_by_the_threads_direction()
    {
        var chunk = WebhookBuilder.HistoryChunk(0, 1, 100, WebhookBuilder.Thread(Corpus.Oliver,
            WebhookBuilder.Text("wamid.H.target", Corpus.Oliver, 1_700_000_000, "a photo of the shop"),
            $$$"""{"from":"{{{Corpus.BusinessNumber}}}","id":"wamid.H.reaction","timestamp":"1700000060","type":"reaction","reaction":{"message_id":"wamid.H.target","emoji":"😍"},"history_context":{"from_me":true}}"""));
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(chunk);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default));
        Assert.Equal(new ReactionsView(null, new ReactionView("😍", 1_700_000_060)), message.Reactions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reaction_in_one_history_chunk_to_a_message_of_another_lands_on_it_in_either_order(bool reactionFirst)
    {
        var target = WebhookBuilder.HistoryChunk(0, 1, 50, WebhookBuilder.Thread(Corpus.Oliver,
            WebhookBuilder.Text("wamid.H.elsewhere", Corpus.Oliver, 1_700_000_000, "see you")));
        var reaction = WebhookBuilder.HistoryChunk(0, 2, 100, WebhookBuilder.Thread(Corpus.Oliver,
            $$$"""{"from":"{{{Corpus.Oliver}}}","id":"wamid.H.r2","timestamp":"1700000090","type":"reaction","reaction":{"message_id":"wamid.H.elsewhere","emoji":"🎉"}}"""));
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync(reactionFirst ? [reaction, target] : [target, reaction]);

        var message = Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default));
        Assert.Equal(new ReactionsView(new ReactionView("🎉", 1_700_000_090), null), message.Reactions);
    }

    [Fact]
    public async Task A_type_of_the_future_keeps_its_object_as_sent()
    {
        var poll = Assert.IsType<RawContentView>(One(await OliversAsync("meta-messages-every-type.json"), "wamid.T.poll").Content);
        Assert.Equal("Tuesday", poll.Raw!.Value.GetProperty("option").GetString());
    }

    [Fact]
    public async Task Replies_forwards_and_referrals_are_kept()
    {
        var messages = await OliversAsync("meta-messages-every-type.json");
        var reply = One(messages, "wamid.T.reply");
        Assert.Equal((new ReplyToView("wamid.T.earlier", Corpus.BusinessNumber), "Yes, that one"), (reply.ReplyTo, reply.Text));
        var forwarded = One(messages, "wamid.T.forwarded");
        Assert.Equal((true, true, (ReplyToView?)null), (forwarded.Forwarded, forwarded.FrequentlyForwarded, forwarded.ReplyTo));
        Assert.Equal(new ReferralView("https://fb.me/3cr4Wqqkt", "120226305854810726", "ad", "50% off", "Spring sale", "image",
            "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMXP"), One(messages, "wamid.T.referral").Referral);
        Assert.All(messages.Where(m => m.Id is not ("wamid.T.reply" or "wamid.T.button")), m => Assert.Null(m.ReplyTo));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_reaction_is_on_its_target_for_each_side_not_a_message_in_either_order(bool reactionsFirst)
    {
        var h = await PipelineHarness.CreateAsync();
        // The customer's 👍 (M5) comes with the location; the business's 🙏 and its quoting reply come as echoes.
        await h.DeliverAllAsync(reactionsFirst
            ? [F("meta-echo-reaction-and-reply.json"), F("meta-messages-location-and-reaction.json")]
            : [F("meta-messages-location-and-reaction.json"), F("meta-echo-reaction-and-reply.json"), F("meta-echo-reaction-and-reply.json")]);

        var messages = await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default);
        Assert.Equal([Corpus.M4, "wamid.E.reply"], messages.Select(m => m.Id));
        Assert.Equal(new ReactionsView(new ReactionView("👍", 1_718_021_030), new ReactionView("🙏", 1_718_021_100)), messages[0].Reactions);
        Assert.Equal(new ReplyToView(Corpus.M4, Corpus.Oliver), messages[1].ReplyTo);
        var chat = Assert.Single(await h.Queries.GetChatsAsync(Corpus.PhoneNumberId, default));
        Assert.Equal((2L, 1_718_021_200L), (chat.MessageCount, chat.LastMessageAt));
    }

    [Fact]
    public async Task A_later_reaction_replaces_the_sides_earlier_one_and_an_empty_emoji_removes_it_in_any_order()
    {
        static byte[] Reaction(string id, long at, string emoji) => WebhookBuilder.Meta("messages", $$$"""
            "messages":[{"from":"{{{Corpus.Oliver}}}","id":"{{{id}}}","timestamp":"{{{at}}}","type":"reaction","reaction":{"message_id":"{{{Corpus.M4}}}","emoji":"{{{emoji}}}"}}]
            """);
        byte[][] reactions = [Reaction("wamid.r1", 1_718_021_040, "❤️"), Reaction("wamid.r2", 1_718_021_050, "")];
        foreach (var order in new[] { reactions, reactions.Reverse().ToArray() })
        {
            var h = await PipelineHarness.CreateAsync();
            await h.DeliverAllAsync([.. order, F("meta-messages-location-and-reaction.json")]);
            // 👍 at ...030, ❤️ at ...040, removed at ...050: none now.
            Assert.Null(Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default)).Reactions);
        }
    }

    [Fact]
    public async Task Content_that_cannot_be_read_is_quarantined_with_its_reason_and_the_rest_kept()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(F("meta-messages-bad-content.json"));

        var reasons = (await HistoryPipelineTests.QuarantineRowsAsync(h)).Select(r => (r.GetString("Pointer"), r.GetString("Reason"))).Order().ToList();
        Assert.Equal([("/messages/0", "\"reaction.message_id\" is missing"), ("/messages/1", "\"location.latitude\" is missing or not a number"),
            ("/messages/2", "\"contacts\" is not an array")], reasons);
        Assert.Equal("wamid.B.good", Assert.Single(await h.Queries.GetMessagesAsync(Corpus.PhoneNumberId, Corpus.Oliver, default)).Id);
    }
}
