using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Text;
using Azure;
using Azure.Storage.Queues.Models;
using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Tests.Reliability;
using Coexistence.Tests.Support;
using Coexistence.Webhooks;

namespace Coexistence.Soak;

/// <summary>
/// Many businesses' generated webhook streams, duplicated and shuffled, posted by concurrent senders
/// through the door and drained by concurrent consumers, with storage faults injected on every
/// client. At the end every business's tables must equal its reference model.
/// </summary>
public sealed class SoakRun(SoakOptions options)
{
    public const int MaxDeliveries = 5; // as the Functions host's maxDequeueCount

    private int sent, accepted, doorRetries, processingRetries, deadLettered, processed;

    public async Task<SoakReport> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddMinutes(options.MaxMinutes);
        var rng = new Random(options.Seed);
        var faultSeed = options.Seed;
        var policy = new FaultInjectionPolicy((message, n) =>
        {
            var roll = new Random(HashCode.Combine(faultSeed, n)).NextDouble();
            if (roll >= options.FaultRate) return null;
            return roll < options.FaultRate / 3 ? Fault.Throttle
                : roll < options.FaultRate * 2 / 3 ? Fault.ServerError
                : FaultInjectionPolicy.IsWrite(message) ? Fault.DropAfterApply : Fault.Throttle;
        });
        var storage = await FaultInjectionPolicy.StorageAsync(policy);
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(new FixedTime())
            .AddCoexistence(new ConfigurationBuilder().Build(), _ => storage)
            .AddStorageQueueTransport()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // Streams and deliveries: every event at least once, some up to three times, random envelopes, all shuffled.
        var businesses = Enumerable.Range(0, options.Businesses)
            .Select(b => (PhoneNumberId: (106540352240000L + b).ToString(), Stream: BusinessStream.Random(rng))).ToList();
        var deliveries = businesses.SelectMany(b => b.Stream.Events
                .SelectMany(e => Enumerable.Repeat(e, 1 + (rng.Next(4) == 0 ? rng.Next(1, 3) : 0)))
                .Select(e => Retarget(BusinessStream.Body(e, meta: rng.Next(2) == 0), b.PhoneNumberId)))
            .OrderBy(_ => rng.Next()).ToList();

        using var sendingDone = new CancellationTokenSource();
        var consumers = Enumerable.Range(0, options.Workers).Select(_ => ConsumeAsync(services, storage, sendingDone.Token, deadline)).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Count) await SendAsync(services.GetRequiredService<WebhookIntake>(), deliveries[i], deadline);
        }));
        sendingDone.Cancel();
        await Task.WhenAll(consumers);

        policy.Enabled = false;
        var reflected = 0;
        var mismatches = new List<string>();
        foreach (var (phoneNumberId, stream) in businesses)
        {
            var mismatch = await CompareAsync(pipeline, phoneNumberId, stream.Expect(FixedTime.Default));
            if (mismatch is null) reflected++;
            else mismatches.Add($"{phoneNumberId}: {mismatch}");
        }
        return new SoakReport(options, deliveries.Count, sent, accepted, doorRetries, processed, processingRetries, deadLettered,
            policy.Injected, reflected, businesses.Count, businesses.Sum(b => b.Stream.Events.Count), clock.Elapsed, mismatches);
    }

    private static byte[] Retarget(byte[] body, string phoneNumberId) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(BusinessStream.PhoneNumberId, phoneNumberId, StringComparison.Ordinal));

    /// <summary>A sender that retries a 503 (as providers do) until the door accepts.</summary>
    private async Task SendAsync(WebhookIntake intake, byte[] body, DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            Interlocked.Increment(ref sent);
            var result = await intake.ReceiveAsync(body, CancellationToken.None);
            if (result.Outcome == IntakeOutcome.Accepted) { Interlocked.Increment(ref accepted); return; }
            if (result.Outcome == IntakeOutcome.Rejected) throw new InvalidOperationException($"the door rejected a generated body: {result.Problem}");
            Interlocked.Increment(ref doorRetries);
            await Task.Delay(20);
        }
    }

    /// <summary>A consumer as the Functions host runs it: visibility timeout, delivery count, poison after the last try.</summary>
    private async Task ConsumeAsync(IServiceProvider services, StorageClients storage, CancellationToken sendingDone, DateTime deadline)
    {
        var consumer = services.GetRequiredService<StorageQueueConsumer>();
        var poison = services.GetRequiredService<PoisonQueue>();
        var kinds = WebhookKinds.All;
        var idleRounds = 0;
        while (DateTime.UtcNow < deadline)
        {
            var any = false;
            foreach (var kind in kinds)
            {
                var queue = storage.Queue(storage.Names.QueueFor(kind));
                QueueMessage[] messages;
                try { messages = (await queue.ReceiveMessagesAsync(8, TimeSpan.FromSeconds(3))).Value; }
                catch (RequestFailedException) { continue; }
                catch (IOException) { continue; }
                foreach (var message in messages)
                {
                    any = true;
                    try
                    {
                        var result = await consumer.ConsumeAsync(kind, message.Body, CancellationToken.None);
                        if (result.Outcome == ProcessingOutcome.Rejected) Interlocked.Increment(ref deadLettered);
                        else Interlocked.Increment(ref processed);
                        await queue.DeleteIfPresentAsync(message, CancellationToken.None);
                    }
                    catch (Exception) when (message.DequeueCount < MaxDeliveries)
                    {
                        Interlocked.Increment(ref processingRetries); // visible again after the timeout
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref deadLettered);
                        await poison.SendAsync(kind, message.Body, CancellationToken.None);
                        await queue.DeleteIfPresentAsync(message, CancellationToken.None);
                    }
                }
            }
            if (any) { idleRounds = 0; continue; }
            // Done when sending is over and every queue is empty (counting invisible messages) for a few rounds.
            if (sendingDone.IsCancellationRequested && await AllEmptyAsync(storage) && ++idleRounds >= 3) return;
            await Task.Delay(200);
        }
    }

    private static async Task<bool> AllEmptyAsync(StorageClients storage)
    {
        try
        {
            foreach (var queue in storage.Names.Queues)
                if ((await storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount > 0) return false;
            return true;
        }
        catch (Exception e) when (e is RequestFailedException or IOException)
        {
            return false;
        }
    }

    private static async Task<string?> CompareAsync(IServiceProvider services, string phoneNumberId, BusinessStream.Expected expected)
    {
        var q = services.GetRequiredService<ConversationQueries>();
        if (!expected.Chats.SequenceEqual(await q.GetChatsAsync(phoneNumberId, default))) return "chats differ";
        foreach (var (chat, messages) in expected.Messages)
            if (!messages.SequenceEqual(await q.GetMessagesAsync(phoneNumberId, chat, default))) return $"messages of chat …{chat[^4..]} differ";
        if (!expected.Contacts.SequenceEqual(await q.GetContactsAsync(phoneNumberId, default))) return "contacts differ";
        if (expected.History != await q.GetHistoryStatusAsync(phoneNumberId, default)) return "history status differs";
        return null;
    }
}

public sealed record SoakReport(SoakOptions Options, int Deliveries, int Sent, int Accepted, int DoorRetries, int Processed, int ProcessingRetries,
    int DeadLettered, int FaultsInjected, int Reflected, int Businesses, int Events, TimeSpan Elapsed, IReadOnlyList<string> Mismatches)
{
    public bool Passed => Accepted == Deliveries && DeadLettered == 0 && Reflected == Businesses;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"soak: {Options}");
        sb.AppendLine($"businesses {Businesses}, distinct events {Events}, deliveries (with duplicates) {Deliveries}");
        sb.AppendLine($"sent {Sent}, accepted {Accepted}, door answered 503 and was retried {DoorRetries}");
        sb.AppendLine($"queue messages processed {Processed}, processing retried {ProcessingRetries}, dead-lettered {DeadLettered}");
        sb.AppendLine($"storage faults injected {FaultsInjected}");
        sb.AppendLine($"businesses whose tables equal the reference model: {Reflected} of {Businesses}");
        foreach (var m in Mismatches) sb.AppendLine("  mismatch " + m);
        sb.AppendLine($"elapsed {Elapsed.TotalSeconds:F1} s");
        sb.Append(Passed ? "PASSED" : "FAILED");
        return sb.ToString();
    }
}
