using System.Runtime.InteropServices;
using System.Text;
using Coexistence.Tests.Security;
using Coexistence.Tests.Support;
using CsCheck;

namespace Coexistence.Tests.Webhooks;

/// <summary>
/// <see cref="WebhookEnvelopeReader"/> (one Utf8JsonReader pass) against <see cref="ReferenceEnvelopeReader"/>
/// (the JsonDocument reader it replaced): for every body, the same changes with the same fields and value
/// bytes, or the same problem document, or the same exception. Over the fixture corpus, hand-written edge
/// cases, the door fuzz test's mutations and random envelopes.
/// </summary>
public class EnvelopeDifferentialTests
{
    private static long Iterations => Math.Max(3_000, DoorFuzzTests.Iterations);

    /// <summary>What a reader made of a body: a reading, or the exception it threw.</summary>
    private sealed record Outcome(WebhookReading? Reading, Exception? Thrown);

    private static Outcome Run(Func<ReadOnlyMemory<byte>, WebhookReading> read, byte[] body)
    {
        try { return new(read(body), null); }
        catch (Exception e) { return new(null, e); }
    }

    internal static void AssertSameReading(byte[] body)
    {
        var expected = Run(ReferenceEnvelopeReader.Read, body);
        var actual = Run(WebhookEnvelopeReader.Read, body);
        var what = Describe(body);

        // The reader never throws. Where the reference threw (a property name with an escaped lone surrogate, or
        // invalid UTF-8 in a string the envelope reads), the reader refuses the body with a precise problem instead.
        Assert.True(actual.Thrown is null, $"{what}\nreader threw {actual.Thrown}");
        if (expected.Thrown is not null)
        {
            Assert.True(expected.Thrown is InvalidOperationException, $"{what}\nreference threw {expected.Thrown}");
            // The reference's own diagnosis: a string that is not valid UTF-8, or a name that is not valid UTF-16 text.
            var code = expected.Thrown.Message.Contains("invalid UTF-8", StringComparison.Ordinal) ? WebhookProblems.InvalidUtf8 : WebhookProblems.MalformedJson;
            Assert.True(actual.Reading!.Problem?.Code == code, $"{what}\nreference threw {expected.Thrown.Message}\nreader: {actual.Reading.Problem?.ToString() ?? "accepted"}, expected {code}");
            return;
        }

        var (want, got) = (expected.Reading!, actual.Reading!);
        Assert.True(want.Problem == got.Problem, $"{what}\nreference: {want.Problem?.ToString() ?? "accepted"}\nreader: {got.Problem?.ToString() ?? "accepted"}");
        Assert.True(want.Changes.Count == got.Changes.Count, $"{what}\n{want.Changes.Count} changes expected, {got.Changes.Count} read");
        for (var i = 0; i < want.Changes.Count; i++)
        {
            var (w, g) = (want.Changes[i], got.Changes[i]);
            Assert.True(w with { Value = default } == g with { Value = default }, $"{what}\nchange {i}: expected {w}\nread {g}");
            Assert.True(w.Value.Span.SequenceEqual(g.Value.Span), $"{what}\nchange {i}: value bytes differ");
            // The value is the body's own memory, not a copy (the door and the queue message write it raw).
            Assert.True(MemoryMarshal.TryGetArray(g.Value, out var segment) && ReferenceEquals(segment.Array, body), $"{what}\nchange {i}: value is a copy");
        }
    }

    private static string Describe(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return $"body ({body.Length} bytes): {(text.Length > 600 ? text[..300] + " ... " + text[^300..] : text)}";
    }

    private static List<string> CorpusFileNames() =>
        Directory.GetFiles(Fixtures.Directory, "*.json", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Fixtures.SamplesDirectory, "*.json", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(AppContext.BaseDirectory, f)).Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> CorpusFiles() => new(CorpusFileNames());

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_fixture_and_sample_reads_the_same(string file) =>
        AssertSameReading(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, file)));

    [Fact]
    public void The_corpus_covers_both_sides()
    {
        // Otherwise the theory above would prove little.
        var files = CorpusFileNames();
        Assert.Contains(files, f => f.Contains("malformed"));
        Assert.True(files.Count > 50, $"{files.Count} files");
    }

    private const string Metadata = """{"display_phone_number":"+1 555-078-3881","phone_number_id":"106540352242922"}""";
    private const string HistoryMessage = """{"from":"15551234567","id":"wamid.A","timestamp":"1715000000","type":"text","text":{"body":"hi"},"history_context":{"status":"READ"}}""";

    private static string PartnerWith(string data) => $$"""{"id":"e1","event":"history","data":{{data}}}""";
    private static string HistoryWith(string message) =>
        PartnerWith($$"""{"id":"102290129340398","metadata":{{Metadata}},"history":[{"metadata":{"phase":1,"chunk_order":1,"progress":50},"threads":[{"id":"15551234567","messages":[{{HistoryMessage}},{{message}}]}]}]}""");
    private static string MetaWith(string value, string field = "smb_message_echoes", string entryId = "\"102290129340398\"") =>
        $$"""{"object":"whatsapp_business_account","entry":[{"id":{{entryId}},"changes":[{"field":"{{field}}","value":{{value}}}]}]}""";
    private static string EchoValue(string metadata = Metadata, string items = "\"message_echoes\":[]") => $$"""{"messaging_product":"whatsapp","metadata":{{metadata}},{{items}}}""";
    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);
    private static string Names(int count, string prefix = "k") => string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{prefix}{i}\":{i}"));

    public static TheoryData<string, string> EdgeCases() => new()
    {
        // Duplicate property names, anywhere, as JsonDocument refuses them.
        { "duplicate deep inside a history message", HistoryWith("""{"from":"1","id":"wamid.B","text":{"body":"a","body":"b"}}""") },
        { "duplicate in a history message itself", HistoryWith("""{"from":"1","id":"wamid.B","from":"2"}""") },
        { "escaped duplicate name", HistoryWith("""{"from":"1","id":"wamid.B","\u0069d":"wamid.C"}""") },
        { "escaped duplicate name, escape first", """{"\u0061":1,"a":2,"event":"history","data":{}}""" },
        { "duplicate equal only after unescaping \\/", """{"a/b":1,"a\/b":2}""" },
        { "duplicate equal only after unescaping a non-ASCII character", """{"é":1,"\u00e9":2}""" },
        { "duplicate envelope name", """{"event":"history","event":"smb_app_state_sync","data":{}}""" },
        { "duplicate in metadata", PartnerWith("""{"metadata":{"phone_number_id":"1","phone_number_id":"2","display_phone_number":"1"},"history":[]}""") },
        { "duplicate empty names", """{"":1,"":2}""" },
        { "duplicate long name, cut in the message", """{"a_rather_long_property_name":1,"a_rather_long_property_name":2}""" },
        { "duplicate long name cut inside a surrogate pair", "{\"abcdefghijklmn\uD83D\uDE00\":1,\"abcdefghijklmn\uD83D\uDE00\":2}" },
        { "duplicate name containing the word Path", """{"x Path: y":1,"x Path: y":2}""" },
        { "duplicate name containing the word LineNumber", """{"x LineNumber: 3":1,"x LineNumber: 3":2}""" },
        { "duplicate after 16 names (hashed)", "{" + Names(20) + ",\"k3\":0}" },
        { "duplicate after 16 names, escaped", "{" + Names(20) + ",\"\\u006b17\":0}" },
        { "no duplicate in 40 names", "{" + Names(40) + "}" },
        { "duplicate at name 17 of a nested object", MetaWith(EchoValue(items: "\"message_echoes\":[{" + Names(16) + ",\"k0\":1}]")) },
        { "the same names in sibling objects are fine", MetaWith(EchoValue(items: "\"message_echoes\":[{\"a\":1},{\"a\":1}]")) },
        { "outer duplicate first in the text, inner one reported (closes first)", """{"b":1,"b":2,"x":{"a":1,"a":2}}""" },
        { "inner duplicate first in the text", """{"x":{"a":1,"a":2},"b":1,"b":2}""" },
        { "two inner objects with duplicates", """{"x":{"a":1,"a":2},"y":{"c":1,"c":2}}""" },
        { "duplicate inside an array at the root", """[{"a":1},{"b":1,"b":2}]""" },
        { "duplicate then a syntax error later", """{"a":1,"a":2,"event":"history","data":{} x""" },
        { "duplicate then trailing content", """{"a":1,"a":2} {}""" },
        { "duplicate and an envelope problem", """{"object":"nope","a":1,"a":2}""" },
        { "duplicate and too deep", """{"a":1,"a":2,"x":""" + Nested(70) + "}" },
        // Escaped names that are not duplicates: the envelope still reads them.
        { "escaped envelope names, partner", """{"\u0069d":"e1","\u0065vent":"smb_message_echoes","d\u0061ta":{"m\u0065tadata":{"phone_number_\u0069d":"106540352242922","display_phone_number":"1555"},"message_echo\u0065s":[]}}""" },
        { "escaped envelope names, Meta", """{"\u006fbject":"whatsapp_business_account","entr\u0079":[{"id":"1","ch\u0061nges":[{"fi\u0065ld":"history","v\u0061lue":{"metadata":{"phone_number_id":"1","display_phone_number":"1"},"m\u0065ssages":[]}}]}]}""" },
        { "escaped values", """{"id":"e\u0031","event":"smb_message_\u0065choes","data":{"metadata":{"phone_number_id":"\u0031\u0032","display_phone_number":"+1\u00a0555"},"message_echoes":[]}}""" },
        // Lone surrogates: values become U+FFFD (or fail the digit checks); names cannot be unescaped at all.
        { "lone surrogate in event", """{"id":"e","event":"\ud800","data":{}}""" },
        { "lone surrogate in event id", """{"id":"\udc00x","event":"account_update","data":{}}""" },
        { "lone surrogate in field", MetaWith(EchoValue(), field: "\\ud83d") },
        { "lone surrogate in object", """{"object":"whatsapp_business_account\ud800","entry":[]}""" },
        { "lone surrogate in entry id", MetaWith(EchoValue(), entryId: "\"1\\ud800\"") },
        { "lone surrogate in phone_number_id", MetaWith(EchoValue(metadata: """{"display_phone_number":"1","phone_number_id":"1\ud800"}""")) },
        { "lone surrogate in display_phone_number", MetaWith(EchoValue(metadata: """{"display_phone_number":"\ud800","phone_number_id":"1"}""")) },
        { "lone surrogate in an unprocessed change's phone_number_id", MetaWith(EchoValue(metadata: """{"phone_number_id":"\udfff"}"""), field: "statuses") },
        { "lone surrogate deep in a message text", HistoryWith("""{"text":{"body":"\ud800"}}""") },
        { "surrogate pair deep in a message text", HistoryWith("""{"text":{"body":"\ud83d\ude00"}}""") },
        { "lone surrogate in a property name", """{"\ud800":1,"event":"history","data":{}}""" },
        { "lone low surrogate in a property name deep inside", HistoryWith("""{"\udc00":1}""") },
        { "duplicate before a lone-surrogate name in the same object", """{"a":1,"a":2,"\ud800":3}""" },
        { "lone-surrogate name before a duplicate in the same object", """{"\ud800":3,"a":1,"a":2}""" },
        { "lone-surrogate name in an inner object, duplicate in the outer one", """{"a":1,"a":2,"x":{"\ud800":3}}""" },
        { "lone-surrogate name and a syntax error later", """{"\ud800":3,"a":1,}""" },
        // Ids as numbers or strings.
        { "ids as numbers", """{"object":"whatsapp_business_account","entry":[{"id":102290129340398,"changes":[{"field":"smb_message_echoes","value":{"metadata":{"display_phone_number":15550783881,"phone_number_id":106540352242922},"message_echoes":[]}}]}]}""" },
        { "event id as a number", """{"id":12345678901234567890123,"event":"smb_message_echoes","data":{"id":-1.5e3,"metadata":{"display_phone_number":"1","phone_number_id":"2"},"message_echoes":[]}}""" },
        { "phone_number_id as an exponent", MetaWith(EchoValue(metadata: """{"display_phone_number":"1","phone_number_id":1e5}""")) },
        { "phone_number_id as a decimal", MetaWith(EchoValue(metadata: """{"display_phone_number":"1","phone_number_id":1.0}""")) },
        { "phone_number_id as a negative number", MetaWith(EchoValue(metadata: """{"display_phone_number":"1","phone_number_id":-1}""")) },
        { "phone_number_id true", MetaWith(EchoValue(metadata: """{"display_phone_number":"1","phone_number_id":true}""")) },
        { "event as a number", """{"id":"e","event":1,"data":{}}""" },
        { "field as a number", MetaWith(EchoValue()).Replace("\"field\":\"smb_message_echoes\"", "\"field\":7") },
        { "object as a number", """{"object":1,"entry":[]}""" },
        { "long event id", $$$"""{"id":"{{{new string('7', 257)}}}","event":"account_update","data":{}}""" },
        { "long numeric event id", $$$"""{"id":{{{new string('7', 257)}}},"event":"account_update","data":{}}""" },
        { "event of 256 characters", $$$"""{"id":"e","event":"{{{new string('x', 256)}}}","data":{}}""" },
        { "event of 257 characters", $$$"""{"id":"e","event":"{{{new string('x', 257)}}}","data":{}}""" },
        { "event of 257 characters with escapes", $$$"""{"id":"e","event":"{{{string.Concat(Enumerable.Repeat("\\u0078", 257))}}}","data":{}}""" },
        { "long field", MetaWith(EchoValue(), field: new string('f', 300)) },
        { "long entry id", MetaWith(EchoValue(), entryId: new string('9', 300)) },
        // Depth: 64 is allowed, 65 is not.
        { "depth 64", new string('[', 64) + new string(']', 64) },
        { "depth 65", new string('[', 65) + new string(']', 65) },
        { "depth 64 inside an echo", MetaWith(EchoValue(items: "\"message_echoes\":" + Nested(64 - 5))) },
        { "depth 65 inside an echo", MetaWith(EchoValue(items: "\"message_echoes\":" + Nested(65 - 5))) },
        { "depth 65 of objects", string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "{}" + new string('}', 64) },
        // Syntax and trailing content.
        { "trailing garbage", MetaWith(EchoValue()) + " x" },
        { "trailing second value", MetaWith(EchoValue()) + "{}" },
        { "trailing brace", MetaWith(EchoValue()) + "}" },
        { "trailing whitespace is fine", MetaWith(EchoValue()) + " \r\n\t " },
        { "leading whitespace and newlines", "\n\n  \r\n" + MetaWith(EchoValue()) },
        { "truncated body", MetaWith(EchoValue())[..^3] },
        { "truncated inside a string", MetaWith(EchoValue())[..20] },
        { "truncated on a multi-line body", "{\n  \"object\": \"whatsapp_business_account\",\n  \"entry\": [\n" },
        { "malformed at the very end with an envelope problem", """{"object":"nope","entry":[]""" },
        { "malformed at the very end of a good echo", MetaWith(EchoValue())[..^1] + "]" },
        { "trailing comma in an object", """{"event":"history","data":{},}""" },
        { "trailing comma deep inside", HistoryWith("""{"a":[1,2,]}""") },
        { "comment", """{"event":"history" /* c */,"data":{}}""" },
        { "line comment on the third line", "{\n\"event\":\"history\",\n// c\n\"data\":{}}" },
        { "single quotes", "{'event':'history'}" },
        { "control character in a string", "{\"event\":\"his\u0001tory\",\"data\":{}}" },
        { "invalid escape", """{"event":"\x","data":{}}""" },
        { "number with a leading zero", """{"id":012,"event":"history","data":{}}""" },
        { "BOM before the body", "\uFEFF" + MetaWith(EchoValue()) },
        { "NaN", """{"id":NaN}""" },
        // Roots that are not objects.
        { "array root", "[1,2,3]" },
        { "string root", "\"hello\"" },
        { "number root", "42" },
        { "true root", "true" },
        { "false root", "false" },
        { "null root", "null" },
        { "empty object", "{}" },
        // null counts as absent wherever the rules ask whether a member is there.
        { "null metadata", MetaWith(EchoValue(metadata: "null")) },
        { "null metadata, unprocessed field", MetaWith(EchoValue(metadata: "null"), field: "statuses") },
        { "metadata an array", MetaWith(EchoValue(metadata: "[]")) },
        { "metadata a string", MetaWith(EchoValue(metadata: "\"x\"")) },
        { "null phone_number_id", MetaWith(EchoValue(metadata: """{"display_phone_number":"1","phone_number_id":null}""")) },
        { "null display_phone_number", MetaWith(EchoValue(metadata: """{"display_phone_number":null,"phone_number_id":"1"}""")) },
        { "null event", """{"event":null,"data":{}}""" },
        { "null event and null data", """{"event":null,"data":null}""" },
        { "null data", """{"event":"history","data":null}""" },
        { "null object with entry", """{"object":null,"entry":[]}""" },
        { "null entry", """{"object":"whatsapp_business_account","entry":null}""" },
        { "null entry and event", """{"entry":null,"event":"history","data":{}}""" },
        { "null object and null entry and event", """{"object":null,"entry":null,"event":"history","data":{"metadata":{"phone_number_id":"1","display_phone_number":"1"},"history":[]}}""" },
        { "null changes", """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":null}]}""" },
        { "null field", MetaWith(EchoValue()).Replace("\"field\":\"smb_message_echoes\"", "\"field\":null") },
        { "null value", MetaWith("null") },
        { "null history with messages", PartnerWith($$"""{"metadata":{{Metadata}},"history":null,"messages":[]}""") },
        { "history an object, no messages", PartnerWith($$$"""{"metadata":{{{Metadata}}},"history":{}}""") },
        { "messages an object, no history", PartnerWith($$$"""{"metadata":{{{Metadata}}},"messages":{}}""") },
        { "null history and null messages", PartnerWith($$"""{"metadata":{{Metadata}},"history":null,"messages":null}""") },
        { "history null, messages a string", PartnerWith($$"""{"metadata":{{Metadata}},"history":null,"messages":"x"}""") },
        { "history a string, messages an array", PartnerWith($$"""{"metadata":{{Metadata}},"history":"x","messages":[]}""") },
        { "null message_echoes", MetaWith(EchoValue(items: "\"message_echoes\":null")) },
        // Envelope shapes.
        { "both envelopes, Meta wins", """{"object":"whatsapp_business_account","entry":[],"event":"history","data":{}}""" },
        { "entry an object", """{"object":"whatsapp_business_account","entry":{}}""" },
        { "entry item not an object", """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]},7]}""" },
        { "entry without changes", """{"object":"whatsapp_business_account","entry":[{"id":"1"}]}""" },
        { "entry with empty changes", """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}]}""" },
        { "change not an object", """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":["x"]}]}""" },
        { "change value an array", """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"history","value":[]}]}]}""" },
        { "empty field", MetaWith(EchoValue(), field: "") },
        { "empty event", """{"id":"e","event":"","data":{}}""" },
        { "second entry bad after a good one", """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"statuses","value":{}}]},{"id":"1","changes":[{"field":"history","value":{}}]}]}""" },
        { "unprocessed change with a bad phone_number_id", MetaWith(EchoValue(metadata: """{"phone_number_id":"12#3"}"""), field: "statuses") },
        { "unprocessed change with a numeric phone_number_id", MetaWith(EchoValue(metadata: """{"phone_number_id":12}"""), field: "statuses") },
        { "display number with spaces and dashes", MetaWith(EchoValue(metadata: """{"display_phone_number":"+1 (555) 078-3881","phone_number_id":"1"}""")) },
        { "display number with letters", MetaWith(EchoValue(metadata: """{"display_phone_number":"+1 555 CALL","phone_number_id":"1"}""")) },
        { "partner envelope with only data", PartnerWith("{}").Replace("\"event\":\"history\",", "") },
        { "data an array", """{"event":"history","data":[]}""" },
        // Whitespace between every token, so that line and byte positions of errors are exercised.
        { "pretty-printed with CRLF and a syntax error", "{\r\n  \"object\" : \"whatsapp_business_account\" ,\r\n  \"entry\" : [\r\n    { \"id\" : 1 , }\r\n  ]\r\n}" },
        { "pretty-printed duplicate", "{\n  \"a\" : 1 ,\n  \"a\" : 2\n}" },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Edge_cases_read_the_same(string what, string body)
    {
        _ = what;
        AssertSameReading(Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Bodies that are not UTF-8: each '¤' stands for a 0xFF byte.</summary>
    public static TheoryData<string, string> NotUtf8() => new()
    {
        { "in event", """{"event":"his¤tory","data":{}}""" },
        { "in event, with a lone surrogate", """{"id":"\ud800¤","event":"x","data":{}}""" },
        { "in phone_number_id", """{"event":"smb_message_echoes","data":{"metadata":{"phone_number_id":"1¤","display_phone_number":"1"},"message_echoes":[]}}""" },
        { "in a message text", """{"event":"history","data":{"metadata":{"phone_number_id":"1","display_phone_number":"1"},"history":[{"text":"¤"}]}}""" },
        { "in duplicate names", """{"¤":1,"¤":2}""" },
        { "in names that differ", """{"¤":1,"¤¤":2,"event":"x","data":{}}""" },
        { "in an escaped name", """{"e¤\ntry":[],"object":"whatsapp_business_account"}""" },
        { "in escaped duplicate names", """{"¤\n":1,"¤\u000a":2}""" },
        { "in a name with a lone surrogate", """{"¤\ud800":1}""" },
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void Bodies_that_are_not_UTF_8_read_the_same(string what, string body)
    {
        // The door refuses these before reading, but the CLI and re-ingestion call the reader directly.
        _ = what;
        AssertSameReading([.. Encoding.UTF8.GetBytes(body.Replace('¤', '\u0001')).Select(b => b == 1 ? (byte)0xFF : b)]);
    }

    [Fact]
    public void Large_history_bodies_read_the_same()
    {
        AssertSameReading(WebhookBuilder.LargeHistoryChunk(chats: 40, messagesPerChat: 200));
        AssertSameReading(WebhookBuilder.HistoryChunk(1, 1, 50, WebhookBuilder.Thread("15551234567", WebhookBuilder.Text("wamid.z/1", "15551234567", 1, "hi"))));
        AssertSameReading(WebhookBuilder.MediaFollowUp("wamid.m", "15551234567", 1));
        AssertSameReading(WebhookBuilder.Contacts(WebhookBuilder.ContactRemove("15551234567", "0")));
        AssertSameReading(WebhookBuilder.Echo(WebhookBuilder.EchoEdit("wamid.e", "+49 151 000", 1, "wamid.o", "new")));
    }

    [Fact]
    public void Mutated_corpus_bodies_read_the_same() =>
        DoorFuzzTests.Mutated(DoorFuzzTests.Seeds()).Sample(AssertSameReading, iter: Iterations, threads: 1,
            seed: Environment.GetEnvironmentVariable("COEXISTENCE_FUZZ_SEED"));

    [Fact]
    public void Random_envelopes_read_the_same()
    {
        var outcomes = new Dictionary<string, int>();
        Gen.Int.Sample(seed =>
        {
            var body = new RandomEnvelopes(calm: seed % 2 == 0).Body(new Random(seed));
            AssertSameReading(body);
            var reading = Run(ReferenceEnvelopeReader.Read, body);
            var key = reading.Thrown?.GetType().Name ?? reading.Reading!.Problem?.Code ?? "accepted";
            lock (outcomes) outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }, iter: Iterations, threads: 1, seed: Environment.GetEnvironmentVariable("COEXISTENCE_FUZZ_SEED"));

        // The generator must reach every outcome, or the comparison above proves little.
        foreach (var code in new[] { "accepted", WebhookProblems.MalformedJson, WebhookProblems.MissingField, WebhookProblems.InvalidField, WebhookProblems.UnrecognisedEnvelope })
            Assert.True(outcomes.GetValueOrDefault(code) > Iterations / 100, "outcomes: " + string.Join(", ", outcomes.Select(o => $"{o.Key} x{o.Value}")));
    }
}
