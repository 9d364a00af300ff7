using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Processing;

public class ChangeMessageFormatTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2024, 6, 10, 6, 13, 20, 123, TimeSpan.Zero);

    private static ChangeMessage Sample(ReadOnlyMemory<byte> payload) => new()
    {
        Kind = WebhookKind.MessageEchoes,
        PhoneNumberId = "106540352242922",
        DisplayPhoneNumber = "15550783881",
        WabaId = "102290129340398",
        EventId = "DM3",
        WebhookId = new string('a', 64),
        ChangeIndex = 3,
        ReceivedAt = ReceivedAt,
        ArchiveBlob = "106540352242922/2024/06/10/aaaa.json",
        Payload = payload,
    };

    [Fact]
    public void Round_trip_keeps_every_field_and_the_payload_bytes()
    {
        var change = Assert.Single(WebhookEnvelopeReader.Read(Fixtures.Bytes("meta-echo-image.json")).Changes);
        var original = Sample(change.Value);

        var bytes = ChangeMessageFormat.Serialize(original);
        Assert.True(ChangeMessageFormat.TryParse(bytes, out var parsed, out var error), error);

        Assert.NotNull(parsed);
        Assert.Equal(2, JsonNode.Parse(bytes)!["version"]!.GetValue<int>());
        Assert.Equal(WebhookKind.MessageEchoes, parsed.Kind);
        Assert.Equal("106540352242922", parsed.PhoneNumberId);
        Assert.Equal("15550783881", parsed.DisplayPhoneNumber);
        Assert.Equal("102290129340398", parsed.WabaId);
        Assert.Equal("DM3", parsed.EventId);
        Assert.Equal(original.WebhookId, parsed.WebhookId);
        Assert.Equal(3, parsed.ChangeIndex);
        Assert.Equal(ReceivedAt, parsed.ReceivedAt);
        Assert.Equal(TimeSpan.Zero, parsed.ReceivedAt.Offset);
        Assert.Equal(original.ArchiveBlob, parsed.ArchiveBlob);
        Assert.Null(parsed.PayloadRange);
        Assert.Equal(change.Value.ToArray(), parsed.Payload.ToArray());
        Assert.Equal(original.ChangeId, parsed.ChangeId);
    }

    [Theory]
    [InlineData(WebhookKind.History)]
    [InlineData(WebhookKind.ContactSync)]
    [InlineData(WebhookKind.MessageEchoes)]
    public void Every_kind_round_trips(WebhookKind kind)
    {
        var bytes = ChangeMessageFormat.Serialize(Sample("""{"x":1}"""u8.ToArray()) with { Kind = kind });
        Assert.True(ChangeMessageFormat.TryParse(bytes, out var parsed, out _));
        Assert.Equal(kind, parsed!.Kind);
        Assert.Contains($"\"kind\":\"{kind.ToField()}\"", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void An_inline_message_is_written_exactly_as_the_contract_shows()
    {
        var bytes = ChangeMessageFormat.Serialize(Sample("""{"x":1}"""u8.ToArray()));

        // docs/queue-messages.md, "Fields": this order, no whitespace, the payload's own bytes.
        var expected = "{\"version\":2,\"kind\":\"smb_message_echoes\",\"phoneNumberId\":\"106540352242922\",\"displayPhoneNumber\":\"15550783881\"," +
                       "\"wabaId\":\"102290129340398\",\"eventId\":\"DM3\",\"webhookId\":\"" + new string('a', 64) + "\",\"changeIndex\":3," +
                       "\"receivedAt\":\"2024-06-10T06:13:20.123Z\",\"archiveBlob\":\"106540352242922/2024/06/10/aaaa.json\",\"payload\":{\"x\":1}}";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void An_archive_range_message_round_trips_without_payload()
    {
        var original = Sample(default) with { PayloadRange = new PayloadRange(1234, 5_000_000_000), WabaId = null, EventId = null };

        var bytes = ChangeMessageFormat.Serialize(original);
        var json = JsonNode.Parse(bytes)!.AsObject();
        Assert.Equal(2, (int)json["version"]!);
        Assert.False(json.ContainsKey("payload"));
        Assert.Equal(1234, (long)json["payloadRange"]!["offset"]!);
        Assert.Equal(5_000_000_000, (long)json["payloadRange"]!["length"]!);
        Assert.Equal(["offset", "length"], json["payloadRange"]!.AsObject().Select(p => p.Key));
        Assert.True(ChangeMessageFormat.TryParse(bytes, out var parsed, out var error), error);

        Assert.Equal(new PayloadRange(1234, 5_000_000_000), parsed!.PayloadRange);
        Assert.True(parsed.Payload.IsEmpty);
        Assert.Equal(original.ArchiveBlob, parsed.ArchiveBlob);
        Assert.Equal(ReceivedAt, parsed.ReceivedAt);
        Assert.Null(parsed.WabaId);
        Assert.Null(parsed.EventId);
    }

    [Fact]
    public void A_version_1_message_is_refused_even_in_the_shape_version_1_had()
    {
        // Version 1 (a claim-check blob in "payloadBlob", or an inline payload) was never deployed: nothing reads it.
        var old = Encoding.UTF8.GetBytes("""
            {"version":1,"kind":"history","phoneNumberId":"106540352242922","displayPhoneNumber":"15550001111","wabaId":"102290129340398","eventId":"evt-7f3c","webhookId":"9a1d","changeIndex":0,"receivedAt":"2025-06-01T09:31:00.000Z","archiveBlob":"106540352242922/2025/06/01/9a1d.json","payloadBlob":"history/106540352242922/9a1d-0.json"}
            """);

        Assert.False(ChangeMessageFormat.TryParse(old, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Equal("unsupported version 1", error);
    }

    [Fact]
    public void Payload_travels_as_a_json_object_not_as_a_string()
    {
        var bytes = ChangeMessageFormat.Serialize(Sample("""{"message_echoes":[{"id":"wamid.X/+="}]}"""u8.ToArray()));
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("payload").ValueKind);
        Assert.Equal(2, document.RootElement.GetProperty("version").GetInt32());
    }

    private static byte[] Mutate(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(ChangeMessageFormat.Serialize(Sample("""{"x":1}"""u8.ToArray())))!.AsObject();
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "version=3", "unsupported version 3" },
        { "version=1", "unsupported version 1" },
        { "version=0", "unsupported version 0" },
        { "-version", "\"version\" is missing" },
        { "-kind", "unknown kind" },
        { "kind=account_alerts", "unknown kind" },
        { "-phoneNumberId", "\"phoneNumberId\"" },
        { "phoneNumberId=../1", "\"phoneNumberId\"" },
        { "-displayPhoneNumber", "\"displayPhoneNumber\"" },
        { "-webhookId", "\"webhookId\" is missing" },
        { "-changeIndex", "\"changeIndex\" is missing" },
        { "changeIndex=-1", "\"changeIndex\" is missing" },
        { "-receivedAt", "\"receivedAt\"" },
        { "receivedAt=yesterday", "\"receivedAt\"" },
        { "-archiveBlob", "\"archiveBlob\" is missing" },
        { "-payload", "neither \"payload\" nor \"payloadRange\"" },
        { "payload=text", "neither \"payload\" nor \"payloadRange\"" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Messages_this_version_cannot_read_are_rejected_with_a_reason(string mutation, string expectedError)
    {
        var bytes = Mutate(json =>
        {
            if (mutation.StartsWith('-')) { Assert.True(json.Remove(mutation[1..])); return; }
            var (name, value) = (mutation[..mutation.IndexOf('=')], mutation[(mutation.IndexOf('=') + 1)..]);
            json[name] = long.TryParse(value, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
        });

        Assert.False(ChangeMessageFormat.TryParse(bytes, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains(expectedError, error);
    }

    private static byte[] MutateRangeMessage(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(ChangeMessageFormat.Serialize(Sample(default) with { PayloadRange = new PayloadRange(10, 20) }))!.AsObject();
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    public static TheoryData<string, string> RangeRejections => new()
    {
        { """{"offset":-1,"length":20}""", "\"payloadRange\" is not" },
        { """{"offset":10,"length":0}""", "\"payloadRange\" is not" },
        { """{"offset":10}""", "\"payloadRange\" is not" },
        { """{"offset":"10","length":20}""", "\"payloadRange\" is not" },
        { """{"offset":1.5,"length":20}""", "\"payloadRange\" is not" },
        { """{"offset":9223372036854775807,"length":20}""", "\"payloadRange\" is not" },
        { "[10,20]", "\"payloadRange\" is not" },
        { "null", "\"payloadRange\" is not" },
    };

    [Theory]
    [MemberData(nameof(RangeRejections))]
    public void A_message_with_a_malformed_range_is_rejected(string range, string expectedError)
    {
        var bytes = MutateRangeMessage(json => json["payloadRange"] = JsonNode.Parse(range));

        Assert.False(ChangeMessageFormat.TryParse(bytes, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains(expectedError, error);
    }

    [Fact]
    public void A_message_names_exactly_one_place_for_its_payload()
    {
        var none = MutateRangeMessage(json => json.Remove("payloadRange"));
        Assert.False(ChangeMessageFormat.TryParse(none, out _, out var noneError));
        Assert.Equal("neither \"payload\" nor \"payloadRange\" is present", noneError);

        var both = MutateRangeMessage(json => json["payload"] = new JsonObject { ["x"] = 1 });
        Assert.False(ChangeMessageFormat.TryParse(both, out _, out var bothError));
        Assert.Equal("both \"payload\" and \"payloadRange\" are present", bothError);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void Non_objects_are_rejected(string text)
    {
        Assert.False(ChangeMessageFormat.TryParse(Encoding.UTF8.GetBytes(text), out var parsed, out var error));
        Assert.Null(parsed);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Version_given_as_a_numeric_string_is_still_read()
    {
        var bytes = Mutate(json => json["version"] = "2");
        Assert.True(ChangeMessageFormat.TryParse(bytes, out var parsed, out var error), error);
        Assert.Equal("""{"x":1}""", Encoding.UTF8.GetString(parsed!.Payload.Span));
    }
}
