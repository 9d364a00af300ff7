using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// Issue 19, "a registry of numbers" and "lifecycle events", against Azurite: <c>account_update</c> webhooks name a WABA
/// (and perhaps a display number), never a phone_number_id, and were filed as unroutable. The shapes are Meta's for
/// coexistence numbers (docs: account_update reference, "Reconnect offboarded coexistence clients").
/// </summary>
public class NumberLifecycleTests
{
    private const long At = 1_739_321_024;

    private static byte[] AccountUpdate(string valueJson, string waba = WabaId, long time = At) =>
        Encoding.UTF8.GetBytes($$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"{{{waba}}}","time":{{{time}}},"changes":[{"field":"account_update","value":{{{valueJson}}}}]}]}
        """);

    private static byte[] PartnerRemoved(string reason, string initiatedBy = "SYSTEM", string phone = BusinessDigits, long time = At) =>
        AccountUpdate($$$"""
            {"phone_number":"{{{phone}}}","event":"PARTNER_REMOVED","disconnection_info":{"reason":"{{{reason}}}","initiated_by":"{{{initiatedBy}}}"}}
            """, time: time);

    private static byte[] AnEcho(string wamid = "wamid.l/1") => Echo(EchoText(wamid, "15551234567", 1_700_000_000, "hello"));

    private static async Task<IReadOnlyList<NumberEvent>> EventsAsync(PipelineHarness h, string number = PhoneNumberId) =>
        await h.Get<NumberRegistry>().EventsAsync(number, default);

    [Fact]
    public async Task An_event_after_its_number_is_known_is_attributed_with_its_reason_initiator_and_entry_time()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(AnEcho());
        await h.DeliverAsync(PartnerRemoved("PRIMARY_INACTIVITY"));

        var e = Assert.Single(await EventsAsync(h));
        Assert.Equal(("PARTNER_REMOVED", "PRIMARY_INACTIVITY", "SYSTEM", BusinessDigits, At),
            (e.Event.Event, e.Event.Reason, e.Event.InitiatedBy, e.Event.PhoneNumber, e.Event.OccurredAt));
        Assert.Equal(WabaId, e.WabaId);
    }

    [Fact]
    public async Task An_event_before_its_number_is_known_is_kept_and_attributed_once_the_number_is_seen()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(PartnerRemoved("COMPANION_INACTIVITY", "USER"));

        Assert.Empty(await EventsAsync(h));
        await h.DeliverAsync(AnEcho());

        var e = Assert.Single(await EventsAsync(h));
        Assert.Equal(("PARTNER_REMOVED", "COMPANION_INACTIVITY", "USER"), (e.Event.Event, e.Event.Reason, e.Event.InitiatedBy));
    }

    [Fact]
    public async Task Both_orders_and_duplicates_end_in_the_same_rows()
    {
        byte[][] story = [AnEcho(), PartnerRemoved("BUSINESS_DOWNGRADE"), AccountUpdate("""{"event":"ACCOUNT_RECONNECTED"}""", time: At + 600)];
        var dumps = new List<IReadOnlyList<string>>();
        foreach (var order in new[] { story, story.Reverse().ToArray(), [.. story, .. story.Reverse()] })
        {
            var h = await PipelineHarness.CreateAsync();
            await h.DeliverAllAsync(order);
            dumps.Add(await TableDump.DumpAsync(h.Storage));
        }

        Assert.Contains(dumps[0], line => line.StartsWith($"Numbers {PhoneNumberId} e|", StringComparison.Ordinal) && line.Contains("ACCOUNT_RECONNECTED"));
        Assert.Equal(dumps[0], dumps[1]);
        Assert.Equal(dumps[0], dumps[2]);
    }

    [Theory]
    [InlineData("ACCOUNT_DISCONNECTED")]
    [InlineData("BUSINESS_DOWNGRADE")]
    [InlineData("CHANGE_NUMBER")]
    [InlineData("COMPANION_INACTIVITY")]
    [InlineData("PRIMARY_INACTIVITY")]
    [InlineData("USER_RE_REGISTERED")]
    [InlineData("A_REASON_NOBODY_DOCUMENTED")]
    public async Task Every_disconnection_reason_is_recorded_as_sent(string reason)
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([AnEcho(), PartnerRemoved(reason)]);

        Assert.Equal(reason, Assert.Single(await EventsAsync(h)).Event.Reason);
    }

    [Theory]
    [InlineData("""{"event":"ACCOUNT_OFFBOARDED","phone_number":"15550783881"}""", "ACCOUNT_OFFBOARDED")]
    [InlineData("""{"event":"ACCOUNT_RECONNECTED","phone_number":"+1 555-078-3881"}""", "ACCOUNT_RECONNECTED")]
    [InlineData("""{"event":"PARTNER_APP_UNINSTALLED","waba_info":{"waba_id":"102290129340398","owner_business_id":"9"}}""", "PARTNER_APP_UNINSTALLED")]
    [InlineData("""{"event":"PARTNER_APP_INSTALLED","waba_info":{"waba_id":"102290129340398","partner_app_id":"7"}}""", "PARTNER_APP_INSTALLED")]
    [InlineData("""{"event":"SOMETHING_NEW_FROM_A_PROVIDER","x":1}""", "SOMETHING_NEW_FROM_A_PROVIDER")]
    [InlineData("""{"ban_info":{"waba_ban_state":"SCHEDULE_FOR_DISABLE"}}""", null)]
    public async Task Each_event_kind_is_recorded_with_its_name_as_sent_and_its_value(string value, string? expected)
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([AnEcho(), AccountUpdate(value)]);

        var e = Assert.Single(await EventsAsync(h));
        Assert.Equal(expected, e.Event.Event);
        Assert.Equal(value, e.Event.Details);
    }

    [Fact]
    public async Task An_event_naming_another_display_number_of_the_WABA_goes_to_that_number_when_it_is_seen()
    {
        const string Other = "106540352242999", OtherDisplay = "15550783999";
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(AnEcho());
        await h.DeliverAsync(PartnerRemoved("ACCOUNT_DISCONNECTED", phone: OtherDisplay));

        Assert.Empty(await EventsAsync(h));
        await h.DeliverAsync(Meta("smb_message_echoes", """ "message_echoes":[] """, phoneNumberId: Other, display: OtherDisplay));

        Assert.Equal("ACCOUNT_DISCONNECTED", Assert.Single(await EventsAsync(h, Other)).Event.Reason);
        Assert.Empty(await EventsAsync(h));
    }

    [Fact]
    public async Task An_event_naming_no_number_is_attributed_to_every_number_of_the_WABA()
    {
        const string Other = "106540352242999";
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(AnEcho());
        await h.DeliverAsync(Meta("smb_message_echoes", """ "message_echoes":[] """, phoneNumberId: Other, display: "15550783999"));
        await h.DeliverAsync(AccountUpdate("""{"event":"ACCOUNT_OFFBOARDED"}"""));

        Assert.Equal("ACCOUNT_OFFBOARDED", Assert.Single(await EventsAsync(h)).Event.Event);
        Assert.Equal("ACCOUNT_OFFBOARDED", Assert.Single(await EventsAsync(h, Other)).Event.Event);
    }

    [Fact]
    public async Task An_event_of_another_WABA_is_not_attributed_to_a_number_with_the_same_display_number()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(AnEcho());
        await h.DeliverAsync(AccountUpdate("""{"event":"ACCOUNT_OFFBOARDED","phone_number":"15550783881"}""", waba: "999999"));

        Assert.Empty(await EventsAsync(h));
    }

    [Fact]
    public async Task An_account_update_without_an_entry_time_takes_its_first_receipt()
    {
        var h = await PipelineHarness.CreateAsync(time: new FixedTime());
        await h.DeliverAsync(AnEcho());
        await h.DeliverAsync(Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{{WabaId}}}","changes":[{"field":"account_update","value":{"event":"ACCOUNT_OFFBOARDED"}}]}]}
            """));

        Assert.Equal(FixedTime.Default.ToUnixTimeSeconds(), Assert.Single(await EventsAsync(h)).Event.OccurredAt);
    }

    [Fact]
    public async Task A_partner_envelope_account_update_with_its_WABA_is_attributed_and_one_naming_neither_WABA_nor_number_is_only_archived()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(AnEcho());
        var results = await h.DeliverAsync(Encoding.UTF8.GetBytes("""{"id":"e1","event":"account_update","data":{"event":"PARTNER_ADDED"}}"""));
        Assert.Empty(results); // nothing queued: nothing names whom it is about
        await h.DeliverAsync(Encoding.UTF8.GetBytes($$$"""{"id":"e2","event":"account_update","data":{"id":"{{{WabaId}}}","event":"PARTNER_ADDED"}}"""));

        Assert.Equal("PARTNER_ADDED", Assert.Single(await EventsAsync(h)).Event.Event);
    }

    [Fact]
    public async Task The_registry_learns_the_WABA_display_number_and_first_and_last_receipt_of_every_processed_change()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await PipelineHarness.CreateAsync(time: time);
        await h.DeliverAsync(AnEcho("wamid.r/1"));
        time.Now = time.Now.AddMinutes(90).AddSeconds(17);
        await h.DeliverAsync(HistoryChunk(0, 1, 100, Thread("15551234567", Text("wamid.r/2", "15551234567", 1_690_000_000, "old"))));

        var number = await h.Get<NumberRegistry>().GetAsync(PhoneNumberId, default);

        Assert.NotNull(number);
        Assert.Equal((WabaId, BusinessDigits), (number.WabaId, number.DisplayPhoneNumber));
        Assert.Equal(FixedTime.Default, number.FirstSeenAt);
        Assert.Equal(NumberRegistration.ToResolution(time.Now), number.LastSeenAt);
        Assert.Equal([PhoneNumberId], (await h.Get<NumberRegistry>().ListAsync(default)).Select(n => n.PhoneNumberId));
    }

    [Fact]
    public async Task A_late_delivery_of_an_old_body_moves_the_first_receipt_back_but_not_the_last()
    {
        var time = new ManualTime(FixedTime.Default.AddDays(2));
        var h = await PipelineHarness.CreateAsync(time: time);
        await h.DeliverAsync(AnEcho("wamid.r/now"));
        // A re-ingest of a body first received two days earlier (its receipt comes from the archive).
        var old = AnEcho("wamid.r/old");
        Assert.Equal(IntakeOutcome.Accepted, (await h.Intake.ReceiveAsync(old, FixedTime.Default, default)).Outcome);
        await h.Drainer.DrainAsync(default);

        var number = await h.Get<NumberRegistry>().GetAsync(PhoneNumberId, default);
        Assert.Equal((FixedTime.Default, NumberRegistration.ToResolution(FixedTime.Default.AddDays(2))), (number!.FirstSeenAt, number.LastSeenAt));
    }

    [Fact]
    public async Task The_number_view_says_disconnected_after_a_removal_and_connected_after_a_reconnection_whatever_the_order_of_arrival()
    {
        var h = await PipelineHarness.CreateAsync(time: new FixedTime());
        await h.DeliverAllAsync([AnEcho(), AccountUpdate("""{"event":"ACCOUNT_RECONNECTED"}""", time: At + 300), PartnerRemoved("USER_RE_REGISTERED", time: At)]);

        var reconnected = await h.Queries.GetNumberAsync(PhoneNumberId, default);
        await h.DeliverAsync(AccountUpdate("""{"event":"ACCOUNT_OFFBOARDED"}""", time: At + 900));
        var offboarded = await h.Queries.GetNumberAsync(PhoneNumberId, default);

        Assert.Equal(("connected", "ACCOUNT_RECONNECTED"), (reconnected!.Connection, reconnected.LastEvent?.Event));
        Assert.Equal(["PARTNER_REMOVED", "ACCOUNT_RECONNECTED"], reconnected.Events.Select(e => e.Event));
        Assert.Equal(("disconnected", 3), (offboarded!.Connection, offboarded.Events.Count));
        Assert.Equal(At + 900, offboarded.LastEvent!.OccurredAt);
    }

    [Fact]
    public async Task The_request_window_is_24_hours_from_the_first_webhook_and_lists_what_is_still_missing()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await PipelineHarness.CreateAsync(time: time);
        await h.DeliverAsync(AnEcho());

        var fresh = (await h.Queries.GetNumberAsync(PhoneNumberId, default))!.RequestWindow!;
        await h.DeliverAsync(HistoryChunk(0, 1, 100, Thread("15551234567", Text("wamid.w/1", "15551234567", 1_690_000_000, "old"))));
        time.Now = FixedTime.Default.AddHours(23);
        var withHistory = (await h.Queries.GetNumberAsync(PhoneNumberId, default))!.RequestWindow!;
        time.Now = FixedTime.Default.AddHours(25);
        var closed = (await h.Queries.GetNumberAsync(PhoneNumberId, default))!.RequestWindow!;

        Assert.Equal((FixedTime.Default.ToUnixTimeSeconds(), FixedTime.Default.AddHours(24).ToUnixTimeSeconds(), true), (fresh.OpensAt, fresh.ClosesAt, fresh.Open));
        Assert.Equal(["history", "contacts"], fresh.Pending);
        Assert.Equal(["contacts"], withHistory.Pending);
        Assert.True(withHistory.HistoryReceived);
        Assert.Equal((false, 0), (closed.Open, closed.Pending.Count));
    }

    [Fact]
    public async Task An_earlier_partner_installation_event_opens_the_window()
    {
        var h = await PipelineHarness.CreateAsync(time: new FixedTime());
        var installedAt = FixedTime.Default.AddHours(-30).ToUnixTimeSeconds();
        await h.DeliverAllAsync([AnEcho(), AccountUpdate("""{"event":"PARTNER_APP_INSTALLED","waba_info":{"waba_id":"102290129340398"}}""", time: installedAt)]);

        var window = (await h.Queries.GetNumberAsync(PhoneNumberId, default))!.RequestWindow!;

        Assert.Equal((installedAt, false), (window.OpensAt, window.Open));
    }

    [Fact]
    public async Task A_number_nothing_is_known_of_has_no_view_and_one_known_only_by_an_event_says_unknown()
    {
        var h = await PipelineHarness.CreateAsync();
        Assert.Null(await h.Queries.GetNumberAsync(PhoneNumberId, default));

        // An event that names the number itself (a sender's metadata): attributed at once, though no webhook of the number came.
        await h.DeliverAsync(Encoding.UTF8.GetBytes($$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{{WabaId}}}","time":{{{At}}},"changes":[{"field":"account_update",
             "value":{"metadata":{"phone_number_id":"{{{PhoneNumberId}}}"},"event":"PHONE_NUMBER_NAME_APPROVED"}}]}]}
            """));
        var view = await h.Queries.GetNumberAsync(PhoneNumberId, default);

        Assert.Equal(("unknown", null, 1), (view!.Connection, view.RequestWindow, view.Events.Count));
    }

    [Fact]
    public async Task After_an_erasure_the_WABAs_earlier_events_are_not_attributed_again_and_a_late_one_is_not_attributed_but_a_new_one_is()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await PipelineHarness.CreateAsync(time: time);
        await h.DeliverAllAsync([AnEcho(), PartnerRemoved("ACCOUNT_DISCONNECTED")]);
        // Received before the erasure, processed after it (a late delivery).
        var late = AccountUpdate("""{"event":"ACCOUNT_OFFBOARDED"}""", time: At + 60);
        Assert.Equal(IntakeOutcome.Accepted, (await h.Intake.ReceiveAsync(late, default)).Outcome);
        time.Now = time.Now.AddMinutes(5);
        await h.Get<NumberErasure>().RunAsync(PhoneNumberId, "ops", default);
        await h.Drainer.DrainAsync(default);
        Assert.Empty(await EventsAsync(h));

        // The business comes back: its webhooks after the erasure register it again, without its erased past.
        time.Now = time.Now.AddMinutes(5);
        await h.DeliverAsync(AnEcho("wamid.l/back"));
        await h.DeliverAsync(AccountUpdate("""{"event":"ACCOUNT_RECONNECTED"}""", time: At + 3_600));

        Assert.Equal(["ACCOUNT_RECONNECTED"], (await EventsAsync(h)).Select(e => e.Event.Event));
    }
}
