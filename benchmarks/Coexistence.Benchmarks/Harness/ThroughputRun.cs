using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence.Benchmarks.Harness;

/// <summary>
/// <c>throughput [--messages 10000 | --megabytes 3] [--seed 1] [--parallelism 4] [--warmup-rounds 2]</c>: one synthetic history chunk through the
/// real pipeline against Azurite (door, queue, claim check, drainer, tables), then the same messages
/// written by our writer and by a naive writer that upserts one row per message, in the same run.
/// Prints messages/s, table round trips and peak memory. See docs/performance.md.
/// </summary>
public static class ThroughputRun
{
    /// <summary>MessageStore's own degree of parallelism; the naive writer gets the same by default.</summary>
    private const int WriterParallelism = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Arguments(args);
        var seed = options.Int("seed", 1);
        var parallelism = options.Int("parallelism", WriterParallelism);
        var body = options.Has("megabytes")
            ? SyntheticWebhooks.HistoryChunkOfSize(options.Int("megabytes", 3) * 1024 * 1024, seed)
            : SyntheticWebhooks.HistoryChunk(options.Int("messages", 10_000), seed);
        var total = SyntheticWebhooks.CountMessages(body);
        var ct = CancellationToken.None;

        var counter = new RequestCounter();
        var storage = await RequestCounter.StorageAsync(counter, ct);
        try
        {
            await using var services = BenchServices.Build(storage);
            var intake = services.GetRequiredService<WebhookIntake>();
            var drainer = services.GetRequiredService<StorageQueueDrainer>();
            Console.WriteLine($"history chunk: {total:N0} messages, {body.Length:N0} bytes; Azurite; {Environment.ProcessorCount} cores; .NET {Environment.Version}");

            // Warm up JIT and connections on another partition, so the measured run is steady state.
            var warmUp = SyntheticWebhooks.HistoryChunk(200, seed + 1000, phoneNumberId: "999000111");
            await intake.ReceiveAsync(warmUp, ct);
            await drainer.DrainAsync(ct);

            // 1. The door.
            counter.Reset();
            var clock = Stopwatch.StartNew();
            var accepted = await intake.ReceiveAsync(body, ct);
            var doorTime = clock.Elapsed;
            if (accepted.Outcome != IntakeOutcome.Accepted) throw new InvalidOperationException($"the door refused the chunk: {accepted.Problem}");
            Console.WriteLine($"door: accepted in {doorTime.TotalMilliseconds:N0} ms ({counter.BlobRequests} blob, {counter.QueueRequests} queue, {counter.TableRequests} table requests)");

            // 2. The consumer: queue message, claim check, parse, fan out, chat summaries, chunk row.
            counter.Reset();
            ProcessingResult result;
            TimeSpan drainTime;
            MemorySampler memory;
            await using (memory = MemorySampler.Start())
            {
                clock.Restart();
                result = (await drainer.DrainAsync(ct)).Single();
                drainTime = clock.Elapsed;
            }
            if (result.Outcome != ProcessingOutcome.Processed || result.Messages != total)
                throw new InvalidOperationException($"the consumer did not store every message: {result.Outcome}, {result.Messages} of {total}");
            var pipelineRequests = counter.TableRequests;
            var pipelineBatches = counter.TableBatches;
            Console.WriteLine($"consumer: {total:N0} messages queryable in {drainTime.TotalMilliseconds:N0} ms = {Rate(total, drainTime)} messages/s; " +
                              $"{pipelineRequests:N0} table requests ({pipelineBatches:N0} batches of <= 100), {counter.BlobRequests} blob, {counter.QueueRequests} queue");
            Console.WriteLine($"consumer peak memory above baseline: managed heap {MiB(memory.HeapPeakAboveBaseline)}, working set {MiB(memory.WorkingSetPeakAboveBaseline)} (target < 64 MiB for a 3 MB chunk)");

            // 3. Writers side by side, same messages, same degree of parallelism, each on tables of its own: Azurite's
            // costs grow with a table's size, so writers sharing one table would be measured unfairly.
            var messages = ParseMessages(body);
            var warmUpRounds = options.Int("warmup-rounds", 2);

            var (oursTime, oursRequests, oursBatches, oursCpu) = await MeasureWriterAsync(messages, warmUpRounds, async (storage, number, batch, ct) =>
                await new MessageStore(storage, NullLogger<MessageStore>.Instance).WriteMessagesAsync(number, batch, ct));

            // Rows alone: the same two rows per message in batches of 100, without summaries and the reads around them.
            var (rowsTime, rowsRequests, _, rowsCpu) = await MeasureWriterAsync(messages, warmUpRounds, async (storage, number, batch, ct) =>
                await TableBatches.SubmitAsync(storage.Table(storage.Names.MessagesTable), batch.Select(m =>
                {
                    var chatRow = new ChatRowEntity(number, MessagesTable.ChatRowKey(m.ChatId, m.Timestamp, m.Id), m);
                    return (IReadOnlyList<TableTransactionAction>)
                    [
                        new(TableTransactionActionType.UpsertMerge, chatRow),
                        new(TableTransactionActionType.UpsertReplace, new MessageIndexEntity(chatRow)),
                    ];
                }), parallelism, ct));

            var (naiveTime, naiveRequests, _, naiveCpu) = await MeasureWriterAsync(messages, warmUpRounds, async (storage, number, batch, ct) =>
            {
                var table = storage.Table(storage.Names.MessagesTable);
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
                    async (m, token) => await table.UpsertEntityAsync(new ChatRowEntity(number, MessagesTable.ChatRowKey(m.ChatId, m.Timestamp, m.Id), m),
                        TableUpdateMode.Merge, token));
            });

            var n = messages.Count;
            Console.WriteLine();
            Console.WriteLine($"writers, {n:N0} messages, parallelism {parallelism}:");
            Console.WriteLine($"| writer | time | rows/s | messages queryable/s | table requests | our CPU |");
            Console.WriteLine($"|---|---|---|---|---|---|");
            Console.WriteLine($"| ours, whole (rows + chat summaries) | {oursTime.TotalMilliseconds:N0} ms | {Rate(2 * n, oursTime)} | {Rate(n, oursTime)} | {oursRequests:N0} ({oursBatches:N0} batches) | {oursCpu.TotalMilliseconds:N0} ms |");
            Console.WriteLine($"| ours, rows only (batches) | {rowsTime.TotalMilliseconds:N0} ms | {Rate(2 * n, rowsTime)} | {Rate(n, rowsTime)} | {rowsRequests:N0} | {rowsCpu.TotalMilliseconds:N0} ms |");
            Console.WriteLine($"| naive, one upsert per message | {naiveTime.TotalMilliseconds:N0} ms | {Rate(n, naiveTime)} | {Rate(n, naiveTime)} | {naiveRequests:N0} | {naiveCpu.TotalMilliseconds:N0} ms |");
            Console.WriteLine();
            var rowsRatio = (2.0 * n / rowsTime.TotalSeconds) / (n / naiveTime.TotalSeconds);
            var messagesRatio = (n / oursTime.TotalSeconds) / (n / naiveTime.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rows/s, ours (batches) vs naive: {rowsRatio:F1}x (target >= 5x); messages queryable/s, ours (whole) vs naive: {messagesRatio:F1}x (target >= 2.5x)"));
            return 0;
        }
        finally
        {
            await RequestCounter.DeleteAsync(storage);
        }
    }

    private const string MeasuredNumber = "100000000000001";
    private const string WarmUpNumber = "999000111";

    /// <summary>
    /// Runs one writer on fresh tables of its own and counts its time, its table requests and our process's CPU time
    /// (the SDK's serialisation and ours; Azurite is another process). The writer first writes the same messages
    /// <paramref name="warmUpRounds"/> times on other tables first: tiered compilation takes thousands of calls to
    /// settle (measured: a writer's CPU time fell from 5.0 s to 1.5 s over its first three 10,000-message writes),
    /// and without this whichever writer ran first would pay for the JIT of the SDK's paths.
    /// </summary>
    private static async Task<(TimeSpan Time, long Requests, long Batches, TimeSpan Cpu)> MeasureWriterAsync(IReadOnlyList<ChatMessage> messages,
        int warmUpRounds, Func<StorageClients, string, IReadOnlyList<ChatMessage>, CancellationToken, Task> write)
    {
        for (var round = 0; round < warmUpRounds; round++)
        {
            // On tables of their own, deleted before the measured write: Azurite gets slower as a table grows.
            var scratch = await RequestCounter.StorageAsync(new RequestCounter(), CancellationToken.None);
            try
            {
                await write(scratch, WarmUpNumber, messages, CancellationToken.None);
            }
            finally
            {
                await RequestCounter.DeleteAsync(scratch);
            }
        }

        var counter = new RequestCounter();
        var storage = await RequestCounter.StorageAsync(counter, CancellationToken.None);
        try
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await write(storage, MeasuredNumber, messages, CancellationToken.None);
            var elapsed = clock.Elapsed;
            return (elapsed, counter.TableRequests, counter.TableBatches, Process.GetCurrentProcess().TotalProcessorTime - cpu);
        }
        finally
        {
            await RequestCounter.DeleteAsync(storage);
        }
    }

    private static List<ChatMessage> ParseMessages(byte[] body)
    {
        var change = WebhookEnvelopeReader.Read(body).Changes.Single();
        using var document = JsonDocument.Parse(change.Value);
        var payload = HistoryPayloadParser.Parse(document.RootElement, SyntheticWebhooks.BusinessDigits, "throughput");
        return payload.Chunks.SelectMany(c => c.Messages).DistinctBy(m => m.Id).ToList();
    }

    internal static string Rate(long count, TimeSpan time) => (count / time.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);

    internal static string MiB(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";
}
