using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Coexistence.Benchmarks;

/// <summary>
/// The door's CPU cost per webhook, next to a bare <see cref="Utf8JsonReader"/> pass over the same
/// bytes (the least any JSON door can do). Targets (docs/performance.md): a 3 MB history within 3x
/// of the bare pass; a 2 KB echo under 50 us with allocations under 4x the body.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class DoorBenchmarks
{
    private DoorWork door = null!;
    private byte[] history = null!;
    private string historySignature = null!;
    private byte[] echo = null!;
    private string echoSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        door = new DoorWork();
        history = SyntheticWebhooks.HistoryChunkOfSize(3 * 1024 * 1024);
        historySignature = SyntheticWebhooks.Sign(history);
        echo = SyntheticWebhooks.Echo(targetBytes: 2_048);
        echoSignature = SyntheticWebhooks.Sign(echo);
        Console.WriteLine($"// history body {history.Length:N0} bytes, echo body {echo.Length:N0} bytes");
    }

    // Each bare pass is the baseline of its category, so the Ratio column is the door's cost in bare passes.
    [Benchmark(Baseline = true, Description = "bare Utf8JsonReader, 3 MB history")]
    [BenchmarkCategory("history")]
    public int BareReaderHistory() => BareReader(history);

    [Benchmark(Description = "door CPU, 3 MB history")]
    [BenchmarkCategory("history")]
    public int DoorHistory() => door.Run(history, historySignature);

    [Benchmark(Baseline = true, Description = "bare Utf8JsonReader, 2 KB echo")]
    [BenchmarkCategory("echo")]
    public int BareReaderEcho() => BareReader(echo);

    [Benchmark(Description = "door CPU, 2 KB echo")]
    [BenchmarkCategory("echo")]
    public int DoorEcho() => door.Run(echo, echoSignature);

    private static int BareReader(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        var tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }
}
