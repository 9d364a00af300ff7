using System.Text;
using System.Text.Json;

namespace Coexistence.Tests.Processing;

/// <summary><see cref="CustomerRedaction"/>: an erased customer's items blanked in place, the rest where it was.</summary>
public class EraseRedactionTests
{
    private static readonly HashSet<string> Ann = new(StringComparer.Ordinal) { "4915100000001", "US.13491208655302741918" };

    private static (int Removed, string Json) Redact(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var removed = CustomerRedaction.RedactInPlace(bytes, Ann);
        Assert.Equal(Encoding.UTF8.GetByteCount(json), bytes.Length);
        using var _ = JsonDocument.Parse(bytes); // still JSON
        return (removed, Encoding.UTF8.GetString(bytes));
    }

    private static string Compact(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"messages":[{"from":"4915100000001","id":"a"},{"from":"2","id":"b"},{"from":"3","id":"c"}]}""",
        """{"messages":[{"from":"2","id":"b"},{"from":"3","id":"c"}]}""")]
    [InlineData("""{"messages":[{"from":"2","id":"b"},{"from":"+49 151 00000001","id":"a"},{"from":"3","id":"c"}]}""",
        """{"messages":[{"from":"2","id":"b"},{"from":"3","id":"c"}]}""")]
    [InlineData("""{"messages":[{"from":"2","id":"b"},{"from":"3","id":"c"} , {"from_user_id":"US.13491208655302741918","id":"a"}]}""",
        """{"messages":[{"from":"2","id":"b"},{"from":"3","id":"c"}]}""")]
    [InlineData("""{"statuses":[{"id":"w","recipient_id":"4915100000001"}],"x":1}""", """{"statuses":[],"x":1}""")]
    [InlineData("""{"state_sync":[{"type":"contact","contact":{"phone_number":"4915100000001"}},{"type":"contact","contact":{"phone_number":"2"}}]}""",
        """{"state_sync":[{"type":"contact","contact":{"phone_number":"2"}}]}""")]
    [InlineData("""{"history":[{"threads":[{"id":"2","messages":[{"from":"2","id":"k"}]},{"context":{"user_id":"US.13491208655302741918"},"messages":[]}]}]}""",
        """{"history":[{"threads":[{"id":"2","messages":[{"from":"2","id":"k"}]}]}]}""")]
    public void The_customers_items_go_and_the_rest_stays(string json, string expected)
    {
        var (removed, redacted) = Redact(json);
        Assert.Equal(1, removed);
        Assert.Equal(Compact(expected), Compact(redacted));
    }

    [Fact]
    public void Text_that_quotes_the_number_and_other_arrays_are_left_alone()
    {
        const string json = """{"messages":[{"from":"2","id":"b","text":{"body":"call 4915100000001"}}],"errors":[{"from":"4915100000001"}]}""";
        Assert.Equal((0, json), Redact(json));
    }
}
