using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

public class ContactsPipelineTests
{
    private static readonly byte[] Dump = Contacts(
        ContactAdd("+1 555-123-4567", "Ada Lovelace", "Ada", "1700000000"),
        ContactAdd("447700900123", "Grace Hopper", "Grace", "1700000000"));
    private static readonly byte[] Edit = Contacts(ContactAdd("15551234567", "Ada King", "Ada", "1700000500"));
    private static readonly byte[] Remove = Contacts(ContactRemove("447700900123", "1700000600"));
    private static readonly byte[] StaleAdd = Contacts(ContactAdd("447700900123", "Grace (old)", "Grace", "1700000100"));

    public static TheoryData<int[]> Orders() => new()
    {
        new[] { 0, 1, 2, 3 },
        new[] { 3, 2, 1, 0 },
        new[] { 2, 3, 0, 1 },
        new[] { 1, 0, 3, 2, 1, 0 },
        new[] { 0, 0, 2, 2, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task The_latest_action_wins_in_any_delivery_order(int[] order)
    {
        var bodies = new[] { Dump, Edit, Remove, StaleAdd };
        var h = await PipelineHarness.CreateAsync();

        await h.DeliverAllAsync(order.Select(i => bodies[i]));

        var contacts = await h.Queries.GetContactsAsync(PhoneNumberId, default);
        Assert.Equal([new ContactView("15551234567", "Ada King", "Ada")], contacts);
    }

    [Fact]
    public async Task A_remove_with_a_zero_timestamp_counts_from_when_it_was_received()
    {
        // Received at FixedTime.Default (2026): later than the add, so the remove wins even if the add comes after it.
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(Contacts(ContactRemove("15551234567", "0")));
        await h.DeliverAsync(Contacts(ContactAdd("15551234567", "Ada", "Ada", "1700000000")));

        Assert.Empty(await h.Queries.GetContactsAsync(PhoneNumberId, default));

        // An add made after the remove was received brings the contact back.
        await h.DeliverAsync(Contacts(ContactAdd("15551234567", "Ada again", "Ada", FixedTime.Default.AddMinutes(1).ToUnixTimeSeconds().ToString())));
        Assert.Equal("Ada again", Assert.Single(await h.Queries.GetContactsAsync(PhoneNumberId, default)).FullName);
    }

    [Fact]
    public async Task A_retried_remove_without_timestamp_keeps_its_first_receipt_time_and_cannot_undo_a_later_add()
    {
        var clock = new ManualTime(FixedTime.Default);
        var h = await PipelineHarness.CreateAsync(time: clock);
        var remove = Contacts(ContactRemove("15551234567", "0"));
        await h.DeliverAsync(remove);                                              // received at T1
        var readdedAt = FixedTime.Default.AddHours(1).ToUnixTimeSeconds();          // the business adds the contact again at T2
        await h.DeliverAsync(Contacts(ContactAdd("15551234567", "Ada", "Ada", readdedAt.ToString())));

        clock.Now = FixedTime.Default.AddDays(3);                                  // the provider retries the old remove at T3
        await h.DeliverAsync(remove);

        Assert.Equal("Ada", Assert.Single(await h.Queries.GetContactsAsync(PhoneNumberId, default)).FullName);
    }

    [Fact]
    public async Task On_a_tie_remove_wins()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(Contacts(ContactRemove("15551234567", "1700000000")));
        await h.DeliverAsync(Contacts(ContactAdd("15551234567", "Ada", "Ada", "1700000000")));
        Assert.Empty(await h.Queries.GetContactsAsync(PhoneNumberId, default));
    }

    [Fact]
    public async Task Actions_within_one_webhook_follow_the_same_rule_and_bad_items_are_quarantined()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAsync(Contacts(
            ContactAdd("15551234567", "Newer", "N", "1700000200"),
            ContactAdd("15551234567", "Older", "O", "1700000100"),
            ContactAdd("12#34", "Forged", "F", "1700000100"),
            """{"type":"contact","contact":{"phone_number":"4915123456789","full_name":"Numeric ts","first_name":"N"},"action":"add","metadata":{"timestamp":1700000300}}"""));

        var contacts = await h.Queries.GetContactsAsync(PhoneNumberId, default);
        Assert.Equal([new ContactView("15551234567", "Newer", "N"), new ContactView("4915123456789", "Numeric ts", "N")], contacts);
        var quarantined = Assert.Single(await HistoryPipelineTests.QuarantineRowsAsync(h));
        Assert.Equal("/state_sync/2", quarantined.GetString("Pointer"));
    }
}
