using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Coexistence.Benchmarks;

/// <summary>
/// Fan-out planning: the bytes of a history change value to the table operations the writer sends, with the
/// code <see cref="ChangeProcessor"/> and <see cref="MessageStore"/> run (parse the value, read the chunk, split
/// it into lanes and batches, plan each batch's chat rows, wamid index rows and chat summaries, for a number
/// with no rows yet). No I/O.
/// Target (docs/performance.md): 10,000 messages at 200,000 messages/s or more (50 ms), allocations under 4x the body.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 64 };
    private static readonly IReadOnlyDictionary<string, Azure.Data.Tables.TableEntity> NoRows = new Dictionary<string, Azure.Data.Tables.TableEntity>();

    [Params(10_000)]
    public int Messages { get; set; }

    private ReadOnlyMemory<byte> value;
    private IReadOnlyList<ChatMessage> parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var body = SyntheticWebhooks.HistoryChunk(Messages);
        var change = WebhookEnvelopeReader.Read(body).Changes.Single();
        value = change.Value;
        Console.WriteLine($"// history change value {value.Length:N0} bytes for {Messages:N0} messages");
        using var document = JsonDocument.Parse(value, PayloadOptions);
        parsed = HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "seed").Chunks.Single().Messages;
        // The plan must hold exactly a chat row and an index row per message, and a summary for every chat.
        var actions = MessageBatches.Lanes(MessageBatches.DistinctById(parsed), MessageStore.Lanes).SelectMany(MessageBatches.Batches)
            .SelectMany(batch => MessageBatches.Plan(SyntheticWebhooks.PhoneNumberId, batch, NoRows, _ => null).Actions).ToList();
        // (Reactions are not messages: they go onto the message they target, in its row.)
        var expected = SyntheticWebhooks.CountMessages(body);
        if (parsed.Count != expected || actions.Count(a => a.Entity is ChatRowEntity) != expected || actions.Count(a => a.Entity is MessageIndexEntity) != expected
            || actions.Where(a => a.Entity.RowKey.StartsWith(MessagesTable.SummaryRowPrefix, StringComparison.Ordinal)).Select(a => a.Entity.RowKey).Distinct().Count()
               != parsed.Select(m => m.ChatId).Distinct().Count())
            throw new InvalidOperationException("the plan does not hold a chat row and an index row per message and a summary per chat");
    }

    /// <summary>
    /// A bare <see cref="Utf8JsonReader"/> pass over the same value: not a target, but the machine's speed at the time
    /// of the run (on the build VM the same pass took 2.8 ms one hour and 4.9 ms another), so that the absolute
    /// figure below can be read against it.
    /// </summary>
    [Benchmark(Description = "diagnostic: bare Utf8JsonReader pass over the value")]
    public int BareReader()
    {
        var reader = new Utf8JsonReader(value.Span);
        var tokens = 0;
        while (reader.Read()) tokens++;
        return tokens;
    }

    /// <summary>Diagnostic: the parsing half of <see cref="PlanFanOut"/>.</summary>
    [Benchmark(Description = "diagnostic: parse only")]
    public int ParseOnly()
    {
        using var document = JsonDocument.Parse(value, PayloadOptions);
        return HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "seed").Chunks.Count;
    }

    /// <summary>Diagnostic: the planning half of <see cref="PlanFanOut"/>, from parsed messages.</summary>
    [Benchmark(Description = "diagnostic: plan only")]
    public int PlanOnly() => PlanOperations(parsed);

    [Benchmark(Description = "fan-out planning, history chunk")]
    public int PlanFanOut()
    {
        using var document = JsonDocument.Parse(value, PayloadOptions);
        var payload = HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "seed");
        var operations = 0;
        foreach (var (_, messages) in payload.Chunks) operations += PlanOperations(messages);
        return operations;
    }

    /// <summary>As <see cref="MessageStore.WriteMessagesAsync"/> plans them: distinct messages, lanes, batches, operations.</summary>
    private static int PlanOperations(IReadOnlyList<ChatMessage> messages)
    {
        var operations = 0;
        foreach (var lane in MessageBatches.Lanes(MessageBatches.DistinctById(messages), MessageStore.Lanes))
            foreach (var batch in MessageBatches.Batches(lane))
                operations += MessageBatches.Plan(SyntheticWebhooks.PhoneNumberId, batch, NoRows, _ => null).Actions.Count;
        return operations;
    }
}
