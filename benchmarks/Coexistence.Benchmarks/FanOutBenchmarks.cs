using System.Text.Json;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Coexistence.Processing;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Benchmarks;

/// <summary>
/// Fan-out planning: the bytes of a history change value to the table operations the writer sends,
/// as <see cref="ChangeProcessor"/> and <see cref="MessageStore"/> do it (parse the value, read the
/// chunk, build the chat row and the wamid index row of each message). No I/O.
/// Target (docs/performance.md): 10,000 messages at 200,000 messages/s or more (50 ms), allocations under 4x the body.
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 64 };

    [Params(10_000)]
    public int Messages { get; set; }

    private ReadOnlyMemory<byte> value;

    [GlobalSetup]
    public void Setup()
    {
        var body = SyntheticWebhooks.HistoryChunk(Messages);
        var change = WebhookEnvelopeReader.Read(body).Changes.Single();
        value = change.Value;
        Console.WriteLine($"// history change value {value.Length:N0} bytes for {Messages:N0} messages");
        using var document = JsonDocument.Parse(value, PayloadOptions);
        parsed = HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "seed").Chunks.Single().Messages;
    }

    private IReadOnlyList<ChatMessage> parsed = null!;

    /// <summary>Diagnostic: the parsing half of <see cref="PlanFanOut"/>.</summary>
    [Benchmark(Description = "diagnostic: parse only")]
    public int ParseOnly()
    {
        using var document = JsonDocument.Parse(value, PayloadOptions);
        return HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "seed").Chunks.Count;
    }

    /// <summary>Diagnostic: the entity-building half of <see cref="PlanFanOut"/>.</summary>
    [Benchmark(Description = "diagnostic: rows only")]
    public int RowsOnly()
    {
        var count = 0;
        foreach (var m in parsed)
        {
            var chatRow = MessageRows.ChatRow(SyntheticWebhooks.PhoneNumberId, m);
            count += chatRow.Count + MessageRows.IndexRow(SyntheticWebhooks.PhoneNumberId, m, chatRow.RowKey).Count;
        }
        return count;
    }

    [Benchmark(Description = "fan-out planning, history chunk")]
    public int PlanFanOut()
    {
        using var document = JsonDocument.Parse(value, PayloadOptions);
        var payload = HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "seed");
        var operations = 0;
        foreach (var (_, messages) in payload.Chunks)
        {
            var actions = new List<TableTransactionAction>(messages.Count * 2);
            foreach (var m in messages.DistinctBy(m => m.Id))
            {
                // As MessageStore.WriteMessagesAsync builds them.
                var chatRow = MessageRows.ChatRow(SyntheticWebhooks.PhoneNumberId, m);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, chatRow));
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, MessageRows.IndexRow(SyntheticWebhooks.PhoneNumberId, m, chatRow.RowKey)));
            }
            operations += actions.Count;
        }
        if (operations != Messages * 2) throw new InvalidOperationException($"expected {Messages * 2} operations, planned {operations}");
        return operations;
    }
}
