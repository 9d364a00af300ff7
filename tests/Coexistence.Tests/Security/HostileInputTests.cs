using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Security;

/// <summary>Each kind of bad input gets its own precise 4xx problem, and leaves no trace.</summary>
public class HostileInputTests
{
    private static string Partner(string phoneNumberIdJson) =>
        """{"id":"e","event":"smb_app_state_sync","data":{"metadata":{"display_phone_number":"15550783881","phone_number_id":""" + phoneNumberIdJson + """},"state_sync":[]}}""";

    public static TheoryData<string, byte[], string?, int, string, string?> Cases()
    {
        var nested = new StringBuilder();
        for (var i = 0; i < 200; i++) nested.Append("{\"a\":");
        nested.Append('1').Append('}', 200);
        return new()
        {
            { "empty body", [], null, 400, "empty-body", null },
            { "whitespace only", " \r\n "u8.ToArray(), null, 400, "empty-body", null },
            { "text/plain", Echo(EchoText("w", "1555", 1, "x")), "text/plain", 415, "unsupported-media-type", null },
            { "form post", Echo(EchoText("w", "1555", 1, "x")), "application/x-www-form-urlencoded", 415, "unsupported-media-type", null },
            { "latin-1 charset", Echo(EchoText("w", "1555", 1, "x")), "application/json; charset=iso-8859-1", 415, "unsupported-media-type", null },
            { "garbage content type", Echo(EchoText("w", "1555", 1, "x")), "}{", 415, "unsupported-media-type", null },
            { "invalid UTF-8", [.. "{\"id\":\""u8, 0xC3, 0x28, .. "\"}"u8], "application/json", 400, "invalid-utf8", null },
            { "not JSON", "<xml/>"u8.ToArray(), "application/json", 400, "malformed-json", null },
            { "truncated JSON", Echo(EchoText("w", "1555", 1, "x"))[..50], null, 400, "malformed-json", null },
            { "nested 200 deep", Encoding.UTF8.GetBytes(nested.ToString()), null, 400, "malformed-json", null },
            { "duplicate keys", Encoding.UTF8.GetBytes("""{"event":"history","event":"smb_app_state_sync","data":{}}"""), null, 400, "malformed-json", null },
            { "JSON array", "[1,2,3]"u8.ToArray(), null, 400, "unrecognised-envelope", "" },
            { "neither envelope", """{"hello":"world"}"""u8.ToArray(), null, 400, "unrecognised-envelope", "" },
            { "huge number id", Encoding.UTF8.GetBytes(Partner("1e99999")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "path traversal id", Encoding.UTF8.GetBytes(Partner("\"../123\"")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "hash in id", Encoding.UTF8.GetBytes(Partner("\"12#3\"")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "question mark in id", Encoding.UTF8.GetBytes(Partner("\"123?x\"")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "slash in id", Encoding.UTF8.GetBytes(Partner("\"12/3\"")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "control character in id", Encoding.UTF8.GetBytes(Partner("\"12\\u00013\"")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "40-digit id", Encoding.UTF8.GetBytes(Partner($"\"{new string('7', 40)}\"")), null, 400, "invalid-field", "/data/metadata/phone_number_id" },
            { "missing id", Encoding.UTF8.GetBytes("""{"id":"e","event":"history","data":{"metadata":{"display_phone_number":"1"},"history":[]}}"""), null, 400, "missing-field", "/data/metadata/phone_number_id" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_precise_4xx_and_leaves_no_trace(string what, byte[] body, string? contentType, int status, string code, string? pointer)
    {
        var door = await DoorHarness.CreateAsync();
        var response = contentType is null ? await door.PostAsync(body) : await door.PostAsync(body, ("Content-Type", contentType));

        Assert.True(status == response.Status, $"{what}: expected {status}, got {response.Status}: {DoorHarness.Text(response)}");
        Assert.Equal(HttpAnswer.ProblemContentType, response.ContentType);
        Assert.Equal(code, DoorHarness.Code(response));
        using var problem = System.Text.Json.JsonDocument.Parse(response.Body);
        Assert.Equal(pointer, problem.RootElement.GetProperty("pointer").GetString());
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }

    [Fact]
    public async Task The_intake_refuses_invalid_UTF_8_anywhere_in_the_body_also_without_the_HTTP_door()
    {
        // A well-formed history chunk whose message text (a string the envelope reader skips) holds a stray byte.
        // The CLI's ingest and reingest call the intake directly: the check must be there, not only at the door.
        var door = await DoorHarness.CreateAsync();
        var text = HistoryChunk(0, 1, 100, Thread("15551234567", Text("wamid.a/1", "15551234567", 1_700_000_000, "caf#")));
        var at = Array.IndexOf(text, (byte)'#');
        text[at] = 0xE9; // Latin-1 "é": not UTF-8

        var result = await door.Pipeline.Intake.ReceiveAsync(text, default);

        Assert.Equal(IntakeOutcome.Rejected, result.Outcome);
        Assert.Equal("invalid-utf8", result.Problem!.Code);
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }

    [Fact]
    public async Task The_size_limit_is_enforced_while_reading_whatever_the_stream_claims()
    {
        var door = await DoorHarness.CreateAsync(options: new IntakeOptions { MaxBodyBytes = 4096 });
        // A stream that would go on for 100 MB; the door must stop reading soon after the limit.
        var endless = new CountingStream(100_000_000);

        var response = await door.Door.ReceiveAsync(_ => null, endless, default);

        Assert.Equal(413, response.Status);
        Assert.Equal("body-too-large", DoorHarness.Code(response));
        Assert.True(endless.Served < 4096 + 81920 + 1, $"read {endless.Served} bytes");
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }

    [Fact]
    public void The_default_limit_is_a_little_above_the_3_MB_senders_post()
    {
        var limit = new IntakeOptions().MaxBodyBytes;
        Assert.InRange(limit, 3_000_001, 8 * 1024 * 1024);
    }

    private sealed class CountingStream(long length) : Stream
    {
        public long Served { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Served);
            Array.Fill(buffer, (byte)' ', offset, n);
            Served += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public class OversizedEnvelopeTests
{
    [Theory]
    [InlineData("event-id", "/id")]
    [InlineData("waba-id", "/data/id")]
    [InlineData("event", "/event")]
    public async Task An_id_or_kind_too_long_for_a_queue_message_gets_400_not_a_5xx_forever(string which, string pointer)
    {
        var huge = new string('7', 70_000);
        var body = which switch
        {
            "event-id" => """{"id":"HUGE","event":"smb_app_state_sync","data":{"id":"1","metadata":{"display_phone_number":"1555","phone_number_id":"1065"},"state_sync":[]}}""",
            "waba-id" => """{"id":"e","event":"smb_app_state_sync","data":{"id":"HUGE","metadata":{"display_phone_number":"1555","phone_number_id":"1065"},"state_sync":[]}}""",
            _ => """{"id":"e","event":"HUGE","data":{"id":"1","metadata":{"display_phone_number":"1555","phone_number_id":"1065"}}}""",
        };
        var door = await Coexistence.Tests.Support.DoorHarness.CreateAsync();

        var response = await door.PostAsync(System.Text.Encoding.UTF8.GetBytes(body.Replace("HUGE", huge)));

        Assert.Equal(400, response.Status);
        Assert.Equal("invalid-field", Coexistence.Tests.Support.DoorHarness.Code(response));
        using var problem = System.Text.Json.JsonDocument.Parse(response.Body);
        Assert.Equal(pointer, problem.RootElement.GetProperty("pointer").GetString());
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }
}
