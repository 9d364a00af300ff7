using System.Text;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Webhooks;

/// <summary>
/// A large change's queue message names its value as a byte range of the body (<see cref="WebhookIntake.RangeOf"/>),
/// which the consumer reads back from the archive blob. The range must be the value's bytes, whether the envelope
/// reader hands the value out as a slice of the body (as it does) or as a copy.
/// </summary>
public class ValueRangeTests
{
    public static TheoryData<string> Bodies()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Fixtures.Directory, "*.json").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Every_change_value_of_a_fixture_is_the_range_of_the_body_the_message_names(string fixture)
    {
        var body = Fixtures.Bytes(fixture);
        var reading = WebhookEnvelopeReader.Read(body);
        Assert.Null(reading.Problem);
        Assert.NotEmpty(reading.Changes);

        foreach (var change in reading.Changes)
        {
            var range = WebhookIntake.RangeOf(body, change.Value);
            Assert.Equal(change.Value.ToArray(), body.AsSpan((int)range.Offset, (int)range.Length).ToArray());
            Assert.Equal((byte)'{', body[range.Offset]);
        }
    }

    [Fact]
    public void The_changes_of_a_batched_body_get_distinct_ranges_in_order()
    {
        var body = Fixtures.Bytes("meta-batch-two-numbers.json");
        var changes = WebhookEnvelopeReader.Read(body).Changes;

        var ranges = changes.Select(c => WebhookIntake.RangeOf(body, c.Value)).ToList();

        Assert.True(ranges.Count > 2);
        for (var i = 1; i < ranges.Count; i++) Assert.True(ranges[i].Offset >= ranges[i - 1].Offset + ranges[i - 1].Length, $"range {i} overlaps the one before");
    }

    [Fact]
    public void A_value_handed_out_as_a_copy_is_found_in_the_body_by_its_bytes()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"e","event":"history","data":{"messaging_product":"whatsapp","history":[]}}""");
        var copy = Encoding.UTF8.GetBytes("""{"messaging_product":"whatsapp","history":[]}""");

        Assert.Equal(new PayloadRange(35, copy.Length), WebhookIntake.RangeOf(body, copy));
    }

    [Fact]
    public void A_value_that_is_not_in_the_body_is_a_bug_not_a_range()
    {
        var body = Encoding.UTF8.GetBytes("""{"data":{"a":1}}""");

        Assert.Throws<InvalidOperationException>(() => WebhookIntake.RangeOf(body, Encoding.UTF8.GetBytes("""{"a":2}""")));
    }
}
