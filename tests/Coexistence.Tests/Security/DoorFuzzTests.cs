using System.Text;
using Coexistence.Tests.Support;
using CsCheck;

namespace Coexistence.Tests.Security;

/// <summary>
/// The door (the same validation the CLI runs) driven with generated and mutated payloads from the
/// fixture corpus. Properties: no unhandled exception; only documented status codes; every 4xx
/// leaves nothing behind; everything accepted can be processed (nothing the door lets in is poison).
/// One run tries <see cref="Iterations"/> cases (COEXISTENCE_FUZZ_ITERATIONS for a longer soak).
/// </summary>
public class DoorFuzzTests
{
    public static long Iterations => long.TryParse(Environment.GetEnvironmentVariable("COEXISTENCE_FUZZ_ITERATIONS"), out var n) ? n : 300;

    private static readonly int[] Documented = [202, 400, 413, 415];

    private static readonly string[] HostileStrings =
    [
        "../123", "12#3", "123?x", "a\u0000b", "\u0007", new string('9', 40), "1e99999", "-1", "", " ", "\\\\", "%2F", "null",
        "\ud83d\ude00", "wamid.a/b+c=", "DROP TABLE", new string('x', 70_000),
    ];

    private static readonly string?[] ContentTypes = [null, "application/json", "application/json; charset=utf-8", "text/plain", "application/problem+json", "multipart/form-data; boundary=x", ";;;"];

    internal static List<byte[]> Seeds()
    {
        var seeds = Directory.GetFiles(Fixtures.Directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes).ToList();
        seeds.Add(WebhookBuilder.HistoryChunk(1, 1, 50, WebhookBuilder.Thread("15551234567", WebhookBuilder.Text("wamid.z/1", "15551234567", 1, "hi"))));
        seeds.Add(WebhookBuilder.Contacts(WebhookBuilder.ContactRemove("15551234567", "0")));
        return seeds;
    }

    internal static Gen<byte[]> Mutated(List<byte[]> seeds) =>
        Gen.Int[0, seeds.Count - 1].SelectMany(i =>
        {
            var seed = seeds[i];
            var position = Gen.Int[0, Math.Max(0, seed.Length - 1)];
            return Gen.OneOf(
                Gen.Const(seed),
                position.Select(p => seed[..p]),                                                              // truncated
                Gen.Select(position, Gen.Byte).Select((p, b) => { var c = (byte[])seed.Clone(); if (c.Length > 0) c[p] = b; return c; }),  // byte flipped
                Gen.Select(position, Gen.Byte.Array[1, 8]).Select((p, bytes) => (byte[])[.. seed[..p], .. bytes, .. seed[p..]]),         // bytes inserted
                Gen.Select(position, Gen.Int[1, 16]).Select((p, n) => (byte[])[.. seed[..p], .. seed[Math.Min(seed.Length, p + n)..]]), // bytes removed
                Gen.Select(Gen.Int[0, HostileStrings.Length - 1], Gen.Int[0, 50]).Select((h, nth) => ReplaceNthString(seed, nth, HostileStrings[h])),
                Gen.Int[1, 300].Select(depth => Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth))),
                // Issue 17: many changes, many numbers (around the test's limits), and long ids whose key escaping grows them.
                Gen.Select(Gen.Int[1, 30], Gen.Int[1, 12], Gen.Bool).Select((changes, numbers, processed) =>
                    DoorBoundsTests.ManyChanges(changes, c => $"10654035{c % numbers:D7}", processed)),
                Gen.Select(Gen.Int[1, 400], Gen.Int[0, LongIdCharacters.Length - 1]).Select((length, c) =>
                    WebhookBuilder.Echo(WebhookBuilder.EchoText("wamid." + new string(LongIdCharacters[c], length), "4915100000001", 1_700_000_000, "hi"))));
        });

    /// <summary>Characters a table key escapes into several: <c>/</c> into 3, a C1 control into 6 (docs/data-model.md, "Long ids are hashed").</summary>
    private static readonly char[] LongIdCharacters = ['/', '\u0085', '#', '%', 'a'];

    /// <summary>Replaces the content of the nth JSON string literal (if there are that many) with a hostile value.</summary>
    private static byte[] ReplaceNthString(byte[] seed, int nth, string hostile)
    {
        var text = Encoding.UTF8.GetString(seed);
        var quotes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '"' || (i > 0 && text[i - 1] == '\\')) continue;
            if (quotes++ == nth * 2 + 1)
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0) break;
                var escaped = System.Text.Json.JsonEncodedText.Encode(hostile).ToString();
                return Encoding.UTF8.GetBytes(text[..(i + 1)] + escaped + text[end..]);
            }
        }
        return seed;
    }

    [Fact]
    public async Task Mutated_corpus_payloads_get_only_documented_answers_and_refusals_leave_no_trace()
    {
        var seeds = Seeds();
        var door = await DoorHarness.CreateAsync(options: new Coexistence.Intake.IntakeOptions
        {
            MaxBodyBytes = 64 * 1024, MaxChangesPerBody = 20, MaxNumbersPerBody = 8,
        });
        var tried = 0;
        var statuses = new Dictionary<int, int>();

        await Gen.Select(Mutated(seeds), Gen.Int[0, ContentTypes.Length - 1]).SampleAsync(async (body, contentTypeIndex) =>
        {
            tried++;
            var contentType = ContentTypes[contentTypeIndex];
            var before = await door.StoredAsync();
            var response = contentType is null ? await door.PostAsync(body) : await door.PostAsync(body, ("Content-Type", contentType));
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;

            Assert.Contains(response.Status, Documented);
            if (response.Status >= 400)
            {
                Assert.Equal(before, await door.StoredAsync());
                Assert.Equal("application/problem+json", response.ContentType);
                return;
            }
            foreach (var result in await door.Pipeline.Drainer.DrainAsync(default))
                Assert.True(result.Outcome == ProcessingOutcome.Processed, $"accepted body was poisoned: {result.Reason}");
        }, iter: Iterations, threads: 1, seed: Environment.GetEnvironmentVariable("COEXISTENCE_FUZZ_SEED"));

        Assert.Equal(Iterations, tried);
        // The generator must reach both sides of the door, or the properties above prove little.
        Assert.True(statuses.GetValueOrDefault(202) > 0 && statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > 0,
            "statuses seen: " + string.Join(", ", statuses.Select(s => $"{s.Key}x{s.Value}")));
    }
}
