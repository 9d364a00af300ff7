using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;

namespace Coexistence.Benchmarks;

/// <summary>
/// Where the door's time goes on a 3 MB history body: each step of <see cref="DoorWork"/> alone, next to a bare
/// <see cref="Utf8JsonReader"/> pass (the baseline: the Ratio column is each step's cost in bare passes). Diagnostic, no target.
/// </summary>
[MemoryDiagnoser]
public class DoorPartsBenchmarks
{
    private byte[] history = null!;
    private byte[] echo = null!;
    private byte[] secret = null!;

    [GlobalSetup]
    public void Setup()
    {
        history = SyntheticWebhooks.HistoryChunkOfSize(3 * 1024 * 1024);
        echo = SyntheticWebhooks.Echo(targetBytes: 2_048);
        secret = Encoding.UTF8.GetBytes(SyntheticWebhooks.ProviderSecret);
    }

    [Benchmark(Baseline = true, Description = "bare Utf8JsonReader pass")]
    public int Bare()
    {
        var reader = new Utf8JsonReader(history);
        var tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }

    [Benchmark(Description = "HMAC-SHA256 (authentication)")]
    public byte[] Hmac() => HMACSHA256.HashData(secret, history);

    [Benchmark(Description = "SHA-256 (webhook id)")]
    public byte[] Sha() => SHA256.HashData(history);

    [Benchmark(Description = "UTF-8 validation")]
    public bool Utf8Valid() => Utf8.IsValid(history);

    [Benchmark(Description = "JsonDocument.Parse")]
    public int Document()
    {
        using var document = JsonDocument.Parse(history);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "WebhookEnvelopeReader.Read")]
    public int Envelope() => WebhookEnvelopeReader.Read(history).Changes.Count;

    /// <summary>The reader alone on the 2 KB echo (time and allocations; its ratio to the 3 MB baseline means nothing).</summary>
    [Benchmark(Description = "WebhookEnvelopeReader.Read, 2 KB echo")]
    public int EnvelopeEcho() => WebhookEnvelopeReader.Read(echo).Changes.Count;
}
