using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Benchmarks.Harness;

/// <summary>
/// <c>door-latency</c>: senders post a mix of signed webhooks through <see cref="WebhookDoor"/> (authentication,
/// envelope, registry, archive, queue) in this process, with Azurite on loopback as the storage.
/// <list type="bullet">
/// <item><c>[--senders 100] [--rate 200] [--seconds 30] [--warmup 5] [--seed 1]</c> (default, open loop): each sender posts on its
/// own Poisson schedule at <c>rate / senders</c> requests/s, one request at a time like one connection. Latency is
/// measured from each request's <em>scheduled</em> time, so a request that waits behind a slow one (or behind a
/// busy machine) counts its wait: no coordinated omission. This is the latency a provider sees at that rate.
/// The same open loop runs unmeasured for <c>--warmup</c> seconds first, with other bodies.</item>
/// <item><c>--closed [--senders 100] [--requests 2000] [--seconds 60]</c>: each sender posts again as soon as it is
/// answered, so the run measures the door at saturation (its throughput); latency there is only queueing (Little's law).</item>
/// </list>
/// Prints the offered and achieved rate, p50/p99/max per body kind and overall, requests lost (not 202), and the
/// storage requests per webhook.
/// </summary>
public static class DoorLatencyRun
{
    private sealed record Request(string Kind, byte[] Body, string Signature);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Arguments(args);
        var closed = options.Has("closed");
        var senders = options.Int("senders", 100);
        var seed = options.Int("seed", 1);
        var ct = CancellationToken.None;

        var counter = new RequestCounter();
        var storage = await RequestCounter.StorageAsync(counter, ct);
        try
        {
            await using var services = BenchServices.Build(storage, [KeyValuePair.Create("WebhookAuth:ProviderSecrets:0", (string?)SyntheticWebhooks.ProviderSecret)]);
            var door = services.GetRequiredService<WebhookDoor>();

            // Warm up (JIT of every path, connections, thread pool) with bodies that are not part of the measured mix:
            // the same open loop for --warmup seconds, or a closed loop of 5 requests per sender.
            if (closed) await ClosedLoopAsync(door, senders, senders * 5, TimeSpan.FromSeconds(60), seed + 500, ct);
            else await OpenLoopAsync(door, senders, options.Int("rate", 200), options.Int("warmup", 5), seed + 500, ct);
            counter.Reset();

            var run = closed
                ? await ClosedLoopAsync(door, senders, options.Int("requests", 2_000), TimeSpan.FromSeconds(options.Int("seconds", 60)), seed, ct)
                : await OpenLoopAsync(door, senders, options.Int("rate", 200), options.Int("seconds", 30), seed, ct);

            Report(run, counter);
            return run.Lost == 0 ? 0 : 1;
        }
        finally
        {
            await RequestCounter.DeleteAsync(storage);
        }
    }

    /// <param name="OfferedRate">Requests scheduled per second of the schedule (NaN for the closed loop).</param>
    private sealed record Run(string Description, double OfferedRate, int Scheduled, TimeSpan Elapsed,
        IReadOnlyCollection<(string Kind, double Milliseconds)> Latencies, int Lost, IReadOnlyList<double>? StartLag);

    /// <summary>
    /// Open loop: every sender draws its own exponential gaps (Poisson arrivals at rate/senders) and sends its
    /// requests in order; a request whose time has come while the sender's previous one is still waiting starts
    /// late, and that lateness is part of its latency.
    /// </summary>
    private static async Task<Run> OpenLoopAsync(WebhookDoor door, int senders, int rate, int seconds, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var perSender = (double)rate / senders;
        var schedules = new List<(TimeSpan At, Request Request)>[senders];
        var scheduled = 0;
        // Bodies and schedules are made before the clock starts: generating a 1 MB history is not part of the door's cost.
        var offsets = new List<TimeSpan>[senders];
        for (var s = 0; s < senders; s++)
        {
            offsets[s] = [];
            for (var at = Exponential(random, perSender); at < seconds; at += Exponential(random, perSender))
                offsets[s].Add(TimeSpan.FromSeconds(at));
            scheduled += offsets[s].Count;
        }
        var bodies = Mix(scheduled, random, seedOffset: seed * 100_000);
        var next = 0;
        for (var s = 0; s < senders; s++)
            schedules[s] = offsets[s].Select(at => (at, bodies[next++])).ToList();

        var latencies = new ConcurrentBag<(string Kind, double Milliseconds)>();
        var lags = new ConcurrentBag<double>();
        var lost = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(schedules.Select(schedule => Task.Run(async () =>
        {
            foreach (var (at, request) in schedule)
            {
                var wait = at - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
                lags.Add((clock.Elapsed - at).TotalMilliseconds);
                var status = await SendAsync(door, request, ct);
                latencies.Add((request.Kind, (clock.Elapsed - at).TotalMilliseconds));
                if (status != 202) Interlocked.Increment(ref lost);
            }
        }, ct)));
        return new Run($"open loop: {senders} senders, Poisson arrivals at {rate} requests/s in total for {seconds} s, seed {seed}",
            (double)scheduled / seconds, scheduled, clock.Elapsed, latencies, lost, lags.ToList());
    }

    /// <summary>Closed loop: each sender posts its next body as soon as the last one is answered (saturation throughput).</summary>
    private static async Task<Run> ClosedLoopAsync(WebhookDoor door, int senders, int count, TimeSpan limit, int seed, CancellationToken ct)
    {
        var requests = Mix(count, new Random(seed), seedOffset: seed * 100_000);
        var latencies = new ConcurrentBag<(string Kind, double Milliseconds)>();
        var lost = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count && clock.Elapsed < limit)
            {
                var started = clock.Elapsed;
                var status = await SendAsync(door, requests[i], ct);
                latencies.Add((requests[i].Kind, (clock.Elapsed - started).TotalMilliseconds));
                if (status != 202) Interlocked.Increment(ref lost);
            }
        }, ct)));
        return new Run($"closed loop: {senders} senders, each posting again when answered, at most {count:N0} requests or {limit.TotalSeconds:F0} s",
            double.NaN, count, clock.Elapsed, latencies, lost, null);
    }

    private static void Report(Run run, RequestCounter counter)
    {
        var sent = run.Latencies.Count;
        var achieved = sent / run.Elapsed.TotalSeconds;
        var offered = double.IsNaN(run.OfferedRate) ? "unbounded (closed loop)" : string.Create(CultureInfo.InvariantCulture, $"{run.OfferedRate:N1} requests/s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"door latency, {run.Description}; Azurite on loopback; {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offered {offered}; achieved {achieved:N1} requests/s ({sent:N0} of {run.Scheduled:N0} requests answered in {run.Elapsed.TotalSeconds:F1} s)"));
        Console.WriteLine("| bodies | requests | p50 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var group in run.Latencies.GroupBy(l => l.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine(Row(group.Key, group.Select(l => l.Milliseconds).ToList()));
        Console.WriteLine(Row("all", run.Latencies.Select(l => l.Milliseconds).ToList()));
        if (run.StartLag is { Count: > 0 } lag)
        {
            var sorted = lag.Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"start lag (a request's start after its scheduled time; included in the latency above): p50 {Percentile(sorted, 0.50):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms"));
        }
        Console.WriteLine($"requests lost (not answered 202): {run.Lost} (target 0)");
        var total = counter.BlobRequests + counter.QueueRequests + counter.TableRequests;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"storage requests per webhook: {(double)total / Math.Max(1, sent):F2} ({(double)counter.BlobRequests / Math.Max(1, sent):F2} blob, {(double)counter.QueueRequests / Math.Max(1, sent):F2} queue, {(double)counter.TableRequests / Math.Max(1, sent):F2} table; {total:N0} in all)"));
    }

    private static double Exponential(Random random, double ratePerSecond) => -Math.Log(1 - random.NextDouble()) / ratePerSecond;

    private static async Task<int> SendAsync(WebhookDoor door, Request request, CancellationToken ct)
    {
        try
        {
            using var stream = new MemoryStream(request.Body, writable: false);
            // The headers an HTTP request brings: the signature, the content type and the length.
            var length = request.Body.Length.ToString(CultureInfo.InvariantCulture);
            var response = await door.ReceiveAsync(name => name switch
            {
                WebhookAuthenticator.ProviderSignatureHeader => request.Signature,
                "Content-Type" => "application/json",
                "Content-Length" => length,
                _ => null,
            }, stream, ct);
            return response.Status;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"request failed: {e.GetType().Name}");
            return 0;
        }
    }

    /// <summary>
    /// 70 % 2 KB echoes, 20 % small contact syncs, 8 % history chunks of 100 messages (~30 KB) and 2 % of ~1 MB (above the
    /// claim-check threshold), drawn at random in that proportion. Every body distinct.
    /// </summary>
    private static readonly Lazy<int> MessagesInOneMegabyte = new(() => SyntheticWebhooks.CountMessages(SyntheticWebhooks.HistoryChunkOfSize(1024 * 1024)));

    private static List<Request> Mix(int count, Random random, int seedOffset)
    {
        var requests = new List<Request>(count);
        for (var i = 0; i < count; i++)
        {
            var seed = seedOffset + i + 1;
            var (kind, body) = random.Next(100) switch
            {
                < 70 => ("echo 2 KB", SyntheticWebhooks.Echo(seed)),
                < 90 => ("contacts 1 KB", SyntheticWebhooks.Contacts(seed)),
                < 98 => ("history 100 messages", SyntheticWebhooks.HistoryChunk(100, seed, chunkOrder: seed)),
                _ => ("history 1 MB", SyntheticWebhooks.HistoryChunk(MessagesInOneMegabyte.Value, seed, chunkOrder: seed)),
            };
            requests.Add(new Request(kind, body, SyntheticWebhooks.Sign(body)));
        }
        return requests;
    }

    private static string Row(string kind, List<double> milliseconds)
    {
        milliseconds.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {kind} | {milliseconds.Count:N0} | {Percentile(milliseconds, 0.50):F1} ms | {Percentile(milliseconds, 0.99):F1} ms | {milliseconds[^1]:F1} ms |");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
