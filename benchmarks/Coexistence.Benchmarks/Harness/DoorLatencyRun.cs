using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Coexistence.Intake;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence.Benchmarks.Harness;

/// <summary>
/// <c>door-latency [--senders 100] [--requests 2000] [--seconds 60]</c>: concurrent senders post a mix of
/// signed webhooks through <see cref="WebhookDoor"/> (authentication, envelope, archive, claim check, queue)
/// in this process, with Azurite on loopback as the storage. Bounded by the request count and the time limit,
/// whichever comes first. Prints p50/p99/max latency per body kind and overall, and requests lost (not 202).
/// </summary>
public static class DoorLatencyRun
{
    private sealed record Request(string Kind, byte[] Body, string Signature);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Arguments(args);
        var senders = options.Int("senders", 100);
        var count = options.Int("requests", 2_000);
        var limit = TimeSpan.FromSeconds(options.Int("seconds", 60));
        var ct = CancellationToken.None;

        var requests = Mix(count);
        var counter = new RequestCounter();
        var storage = await RequestCounter.StorageAsync(counter, ct);
        try
        {
            var intakeOptions = new IntakeOptions();
            var authOptions = new WebhookAuthOptions { ProviderSecrets = [SyntheticWebhooks.ProviderSecret] };
            var pipeline = new Pipeline(storage, intakeOptions: intakeOptions);
            var door = new WebhookDoor(pipeline.Intake, new WebhookAuthenticator(authOptions), authOptions, intakeOptions, NullLogger<WebhookDoor>.Instance);

            // Warm up JIT and connections with bodies that are not part of the measured mix.
            foreach (var warm in Mix(20, seedOffset: 1_000_000)) await SendAsync(door, warm, ct);

            var latencies = new ConcurrentBag<(string Kind, double Milliseconds)>();
            var lost = 0;
            var next = -1;
            var deadline = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < requests.Count && deadline.Elapsed < limit)
                {
                    var clock = Stopwatch.StartNew();
                    var status = await SendAsync(door, requests[i], ct);
                    latencies.Add((requests[i].Kind, clock.Elapsed.TotalMilliseconds));
                    if (status != 202) Interlocked.Increment(ref lost);
                }
            }, ct)));
            var elapsed = deadline.Elapsed;

            var sent = latencies.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"door latency: {senders} concurrent senders, {sent:N0} of {requests.Count:N0} requests in {elapsed.TotalSeconds:F1} s ({sent / elapsed.TotalSeconds:N0} requests/s); Azurite on loopback; {Environment.ProcessorCount} cores"));
            Console.WriteLine("| bodies | requests | p50 | p99 | max |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var group in latencies.GroupBy(l => l.Kind).OrderBy(g => g.Key))
                Console.WriteLine(Row(group.Key, group.Select(l => l.Milliseconds).ToList()));
            Console.WriteLine(Row("all", latencies.Select(l => l.Milliseconds).ToList()));
            Console.WriteLine($"requests lost (not answered 202): {lost} (target 0); storage requests: {counter.BlobRequests:N0} blob, {counter.QueueRequests:N0} queue, {counter.TableRequests:N0} table");
            return lost == 0 ? 0 : 1;
        }
        finally
        {
            await RequestCounter.DeleteAsync(storage);
        }
    }

    private static async Task<int> SendAsync(WebhookDoor door, Request request, CancellationToken ct)
    {
        try
        {
            using var stream = new MemoryStream(request.Body, writable: false);
            var response = await door.ReceiveAsync(name => name switch
            {
                WebhookAuthenticator.ProviderSignatureHeader => request.Signature,
                "Content-Type" => "application/json",
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

    /// <summary>Mostly 2 KB echoes and small contact syncs, some history chunks of ~30 KB and a few of ~1 MB (claim checks). Every body distinct.</summary>
    private static List<Request> Mix(int count, int seedOffset = 0)
    {
        var requests = new List<Request>(count);
        for (var i = 0; i < count; i++)
        {
            var seed = seedOffset + i + 1;
            var (kind, body) = (i % 100) switch
            {
                < 70 => ("echo 2 KB", SyntheticWebhooks.Echo(seed)),
                < 90 => ("contacts 1 KB", SyntheticWebhooks.Contacts(seed)),
                < 98 => ("history 100 messages", SyntheticWebhooks.HistoryChunk(100, seed, chunkOrder: seed)),
                _ => ("history 1 MB", SyntheticWebhooks.HistoryChunkOfSize(1024 * 1024, seed)),
            };
            requests.Add(new Request(kind, body, SyntheticWebhooks.Sign(body)));
        }
        // Interleave: the order of a real stream, not all the large ones together.
        return requests.OrderBy(r => HashCode.Combine(r.Signature)).ToList();
    }

    private static string Row(string kind, List<double> milliseconds)
    {
        milliseconds.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {kind} | {milliseconds.Count:N0} | {Percentile(milliseconds, 0.50):F1} ms | {Percentile(milliseconds, 0.99):F1} ms | {milliseconds[^1]:F1} ms |");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
