using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coexistence.Queueing;
using Coexistence.Tests.Support;
using Coexistence.Webhooks;

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
        Assert.Equal(ChangeMessage.CurrentVersion, parsed.Version);
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
        Assert.Null(parsed.PayloadBlob);
        Assert.Equal(change.Value.ToArray(), parsed.Payload.ToArray());
        Assert.Equal(original.MessageId, parsed.MessageId);
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
    public void Claim_checked_message_round_trips_without_payload()
    {
        var original = Sample(default) with { PayloadBlob = "history/106540352242922/abc-0.json", WabaId = null, EventId = null };

        var bytes = ChangeMessageFormat.Serialize(original);
        var json = JsonNode.Parse(bytes)!.AsObject();
        Assert.False(json.ContainsKey("payload"));
        Assert.True(ChangeMessageFormat.TryParse(bytes, out var parsed, out _));

        Assert.Equal("history/106540352242922/abc-0.json", parsed!.PayloadBlob);
        Assert.True(parsed.Payload.IsEmpty);
        Assert.Null(parsed.WabaId);
        Assert.Null(parsed.EventId);
    }

    [Fact]
    public void Payload_travels_as_a_json_object_not_as_a_string()
    {
        var bytes = ChangeMessageFormat.Serialize(Sample("""{"message_echoes":[{"id":"wamid.X/+="}]}"""u8.ToArray()));
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("payload").ValueKind);
        Assert.Equal(1, document.RootElement.GetProperty("version").GetInt32());
    }

    private static byte[] Mutate(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(ChangeMessageFormat.Serialize(Sample("""{"x":1}"""u8.ToArray())))!.AsObject();
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    public static TheoryData<string, string> Rejections => new()
    {
        { "version=2", "unsupported version 2" },
        { "version=0", "unsupported version 0" },
        { "-version", "\"version\" is missing" },
        { "-kind", "unknown kind" },
        { "kind=messages", "unknown kind" },
        { "-phoneNumberId", "\"phoneNumberId\"" },
        { "phoneNumberId=../1", "\"phoneNumberId\"" },
        { "-displayPhoneNumber", "\"displayPhoneNumber\"" },
        { "-webhookId", "\"webhookId\" is missing" },
        { "-changeIndex", "\"changeIndex\" is missing" },
        { "changeIndex=-1", "\"changeIndex\" is missing" },
        { "-receivedAt", "\"receivedAt\"" },
        { "receivedAt=yesterday", "\"receivedAt\"" },
        { "-archiveBlob", "\"archiveBlob\" is missing" },
        { "-payload", "neither \"payload\" nor \"payloadBlob\"" },
        { "payload=text", "neither \"payload\" nor \"payloadBlob\"" },
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
    public void Version_given_as_a_numeric_string_is_still_version_1()
    {
        var bytes = Mutate(json => json["version"] = "1");
        Assert.True(ChangeMessageFormat.TryParse(bytes, out var parsed, out var error), error);
        Assert.Equal(1, parsed!.Version);
    }
}
