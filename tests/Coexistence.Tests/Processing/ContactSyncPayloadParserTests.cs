using static Coexistence.Tests.Webhooks.Corpus;

namespace Coexistence.Tests.Processing;

public class ContactSyncPayloadParserTests
{
    /// <summary>2024-06-12T08:00:00Z: after every timestamp in the corpus.</summary>
    private static readonly DateTimeOffset ReceivedAt = new(2024, 6, 12, 8, 0, 0, TimeSpan.Zero);
    private static readonly long ReceivedAtSeconds = ReceivedAt.ToUnixTimeSeconds();

    private static ContactSyncPayload ParseFixture(string file, DateTimeOffset? receivedAt = null)
    {
        var change = SingleChange(file);
        Assert.Equal(WebhookKind.ContactSync, change.Kind);
        return ContactSyncPayloadParser.Parse(Value(change), receivedAt ?? ReceivedAt);
    }

    [Fact]
    public void Initial_dump_adds_every_contact_with_digits_and_names()
    {
        var payload = ParseFixture("partner-contacts-initial-dump.json");

        Assert.Empty(payload.Quarantined);
        Assert.Equal(
            [
                new ContactAction(Alice, false, 1718000000, "Alice Johnson", "Alice"),
                new ContactAction(Oliver, false, 1718000000, "Oliver Smith", "Oliver"),
                new ContactAction(Lena, false, 1718000000, "Lena Müller", "Lena"),
            ],
            payload.Actions);
    }

    [Fact]
    public void Edit_is_an_add_with_new_names_and_a_later_timestamp_that_wins()
    {
        var dump = ParseFixture("partner-contacts-initial-dump.json").Actions.Single(a => a.PhoneNumber == Oliver);
        var edit = Assert.Single(ParseFixture("partner-contacts-edit.json").Actions);

        Assert.Equal(new ContactAction(Oliver, false, 1718100000, "Oliver Smith-Jones", "Ollie"), edit);
        Assert.True(ContactAction.Compare(edit, dump) > 0);
        Assert.True(ContactAction.Compare(dump, edit) < 0);
    }

    [Fact]
    public void Remove_with_timestamp_zero_counts_as_received_now_and_has_no_names()
    {
        var remove = Assert.Single(ParseFixture("partner-contacts-remove-zero-timestamp.json").Actions);

        Assert.Equal(new ContactAction(Lena, true, ReceivedAtSeconds, null, null), remove);
        var dump = ParseFixture("partner-contacts-initial-dump.json").Actions.Single(a => a.PhoneNumber == Lena);
        Assert.True(ContactAction.Compare(remove, dump) > 0);
    }

    [Fact]
    public void Zero_timestamp_uses_the_receive_time_of_each_delivery()
    {
        var early = Assert.Single(ParseFixture("partner-contacts-remove-zero-timestamp.json", ReceivedAt).Actions);
        var late = Assert.Single(ParseFixture("partner-contacts-remove-zero-timestamp.json", ReceivedAt.AddHours(1)).Actions);
        Assert.Equal(3600, late.Timestamp - early.Timestamp);
    }

    [Fact]
    public void Remove_with_a_numeric_timestamp_keeps_it()
    {
        var remove = Assert.Single(ParseFixture("partner-contacts-remove.json").Actions);
        Assert.Equal(new ContactAction(Alice, true, 1718200000, null, null), remove);
    }

    [Fact]
    public void Stale_add_does_not_undo_a_later_remove()
    {
        var remove = Assert.Single(ParseFixture("partner-contacts-remove.json").Actions);
        var staleAdd = Assert.Single(ParseFixture("partner-contacts-stale-add.json").Actions);

        Assert.Equal(new ContactAction(Alice, false, 1718150000, "Alice J.", "Alice"), staleAdd);
        Assert.True(ContactAction.Compare(remove, staleAdd) > 0);
        Assert.True(ContactAction.Compare(staleAdd, remove) < 0);
    }

    [Fact]
    public void Meta_envelope_state_sync_reads_numeric_timestamps()
    {
        var payload = ParseFixture("meta-contacts-state-sync.json");

        Assert.Equal(
            [
                new ContactAction(Oliver, false, 1718100000, "Oliver Smith-Jones", "Ollie"),
                new ContactAction(Lena, true, ReceivedAtSeconds, null, null),
            ],
            payload.Actions);
    }

    [Fact]
    public void Names_sent_on_a_remove_are_dropped()
    {
        var value = Json("""{"state_sync":[{"type":"contact","contact":{"full_name":"Ghost","first_name":"G","phone_number":"15551234567"},"action":"remove","metadata":{"timestamp":"5"}}]}""");
        Assert.Equal(new ContactAction(Alice, true, 5, null, null), Assert.Single(ContactSyncPayloadParser.Parse(value, ReceivedAt).Actions));
    }

    [Fact]
    public void Missing_metadata_or_timestamp_counts_as_received_now()
    {
        var value = Json("""
        {"state_sync":[
          {"type":"contact","contact":{"phone_number":"15551234567"},"action":"remove"},
          {"type":"contact","contact":{"full_name":"Lena","phone_number":"4915123456789"},"action":"ADD","metadata":{}}]}
        """);

        var actions = ContactSyncPayloadParser.Parse(value, ReceivedAt).Actions;

        Assert.Equal([ReceivedAtSeconds, ReceivedAtSeconds], actions.Select(a => a.Timestamp));
        Assert.Equal([true, false], actions.Select(a => a.IsRemove));
    }

    [Fact]
    public void Bad_items_are_quarantined_and_the_rest_kept()
    {
        var payload = ParseFixture("partner-contacts-with-bad-items.json");

        Assert.Equal([(Alice, false), (Lena, true)], payload.Actions.Select(a => (a.PhoneNumber, a.IsRemove)));
        var q = Assert.Single(payload.Quarantined);
        Assert.Equal("/state_sync/1", q.Pointer);
        Assert.Equal("\"contact.phone_number\" is not a phone number", q.Reason);
        Assert.Contains("12#34", q.ItemJson);
    }

    [Theory]
    [InlineData("""{"type":"label","label":{"name":"VIP"}}""", "unsupported state_sync type \"label\"")]
    [InlineData("""{"type":"contact","action":"add"}""", "\"contact\" is missing")]
    [InlineData("""{"type":"contact","contact":{"full_name":"x"},"action":"add"}""", "\"contact.phone_number\" is missing")]
    [InlineData("""{"type":"contact","contact":{"phone_number":"15551234567"},"action":"block"}""", "unsupported action \"block\"")]
    [InlineData("""{"type":"contact","contact":{"phone_number":"15551234567"},"action":"add","metadata":{"timestamp":"soon"}}""", "\"metadata.timestamp\" is not a non-negative unix time")]
    [InlineData("""{"type":"contact","contact":{"phone_number":"15551234567"},"action":"add","metadata":{"timestamp":-1}}""", "\"metadata.timestamp\" is not a non-negative unix time")]
    [InlineData("""[1]""", "the item is not a JSON object")]
    public void Each_kind_of_bad_item_has_its_reason(string item, string reason)
    {
        var value = Json($$$"""{"state_sync":[{"type":"contact","contact":{"phone_number":"447700900123"},"action":"add","metadata":{"timestamp":1}},{{{item}}}]}""");

        var payload = ContactSyncPayloadParser.Parse(value, ReceivedAt);

        Assert.Equal(Oliver, Assert.Single(payload.Actions).PhoneNumber);
        var q = Assert.Single(payload.Quarantined);
        Assert.Equal("/state_sync/1", q.Pointer);
        Assert.Equal(reason, q.Reason);
    }

    // ---- Compare: the order in which actions win ----

    private static ContactAction Add(long ts, string? full = "Alice Johnson", string? first = "Alice") => new(Alice, false, ts, full, first);
    private static ContactAction Remove(long ts) => new(Alice, true, ts, null, null);

    [Fact]
    public void Later_timestamp_wins_whatever_the_action()
    {
        Assert.True(ContactAction.Compare(Add(2), Remove(1)) > 0);
        Assert.True(ContactAction.Compare(Remove(2), Add(1)) > 0);
        Assert.True(ContactAction.Compare(Add(1), Add(2, "A", "A")) < 0);
    }

    [Fact]
    public void On_a_tie_remove_beats_add()
    {
        Assert.True(ContactAction.Compare(Remove(5), Add(5)) > 0);
        Assert.True(ContactAction.Compare(Add(5), Remove(5)) < 0);
    }

    [Fact]
    public void On_a_tie_between_adds_names_decide_ordinally_full_name_first()
    {
        Assert.True(ContactAction.Compare(Add(5, "Bob", "A"), Add(5, "Alice", "Z")) > 0);
        Assert.True(ContactAction.Compare(Add(5, "Alice", "B"), Add(5, "Alice", "A")) > 0);
        Assert.True(ContactAction.Compare(Add(5, "alice", "A"), Add(5, "Alice", "A")) > 0); // ordinal: 'a' > 'A'
        Assert.True(ContactAction.Compare(Add(5, "Alice", "A"), Add(5, null, null)) > 0);
        Assert.Equal(0, ContactAction.Compare(Add(5), Add(5)));
        Assert.Equal(0, ContactAction.Compare(Remove(5), Remove(5)));
    }

    [Fact]
    public void Compare_is_antisymmetric_over_many_actions()
    {
        var actions = new List<ContactAction> { Remove(0), Remove(5), Remove(9), Add(0, null, null) };
        foreach (var ts in new long[] { 0, 5, 9 })
            foreach (var full in new[] { null, "A", "B", "a" })
                foreach (var first in new[] { null, "x", "y" })
                    actions.Add(Add(ts, full, first));

        foreach (var a in actions)
            foreach (var b in actions)
                Assert.Equal(Math.Sign(ContactAction.Compare(a, b)), -Math.Sign(ContactAction.Compare(b, a)));
    }

    [Fact]
    public void Any_delivery_order_ends_in_the_same_winner()
    {
        ContactAction[] actions = [Add(100, "Alice Johnson", "Alice"), Remove(300), Add(200, "Alice J.", "Alice"), Add(300, "Zed", "Z"), Add(300, "Alice", "A")];
        var random = new Random(4);
        ContactAction? winner = null;
        for (var i = 0; i < 200; i++)
        {
            var order = actions.OrderBy(_ => random.Next()).ToList();
            var best = order.Aggregate((best, next) => ContactAction.Compare(next, best) > 0 ? next : best);
            winner ??= best;
            Assert.Equal(winner, best);
        }
        Assert.Equal(Remove(300), winner);
    }
}
