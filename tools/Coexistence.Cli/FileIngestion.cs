using System.Globalization;
using Coexistence.Http;
using Coexistence.Intake;
using Coexistence.Media;
using Coexistence.Operations;
using Coexistence.Processing;
using Coexistence.Webhooks;

namespace Coexistence.Cli;

/// <summary>
/// Receives each file through the door and drains the queues (an <see cref="IngestionRun"/>: every
/// <see cref="IngestionRun.DrainEvery"/> accepted files, and at the end), writing one line per file, one per
/// poisoned queue message, and the summary. Storage failures are thrown; <see cref="SharedOptions"/> reports them.
/// </summary>
internal sealed class FileIngestion(IngestionRun run, TextWriter output)
{
    /// <summary>Code of the CLI's own rejection when a file cannot be read (the door never saw it).</summary>
    public const string UnreadableFile = "unreadable-file";

    public Action<IngestStep>? OnStep { get; init; }

    private int accepted, rejected, messages, contacts, chunks, quarantined, poisoned;
    private int filesReceived, filesTotal;

    public async Task<IngestSummary> RunAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        filesTotal = files.Count;
        run.OnDraining = () => OnStep?.Invoke(new IngestStep(filesReceived, filesTotal, Draining: true));
        run.OnDrained = Count;
        for (var i = 0; i < files.Count; i++)
        {
            await ReceiveAsync(files[i], cancellationToken);
            filesReceived = i + 1;
            OnStep?.Invoke(new IngestStep(filesReceived, filesTotal, Draining: false));
            await run.DrainIfDueAsync(cancellationToken);
        }
        await run.FinishAsync(cancellationToken);
        if (run.MediaOutcomes.Count > 0) output.WriteLine(MediaLine(run.MediaOutcomes));

        var summary = new IngestSummary(accepted, rejected, messages, contacts, chunks, quarantined, poisoned);
        output.WriteLine(summary.Line);
        return summary;
    }

    /// <summary>
    /// What the media jobs came to (docs/cli.md, "ingest"): <c>media: archived 2, failed 1, retried 1</c>, the outcomes in
    /// their declared order, each that occurred once.
    /// </summary>
    internal static string MediaLine(IReadOnlyList<MediaOutcome> outcomes) =>
        "media: " + string.Join(", ", Enum.GetValues<MediaOutcome>().Select(o => (o, n: outcomes.Count(x => x == o))).Where(c => c.n > 0)
            .Select(c => $"{MediaArchiver.OutcomeName(c.o)} {c.n.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>One file through the door.</summary>
    private async Task ReceiveAsync(string path, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            // Refuse an oversized file before reading it, with the door's own problem.
            if (new FileInfo(path).Length > run.MaxBodyBytes)
            {
                Rejected(path, WebhookProblems.TooLarge(run.MaxBodyBytes));
                return;
            }
            body = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Rejected(path, new Problem(UnreadableFile, "The file could not be read", e.Message));
            return;
        }

        var result = await run.ReceiveAsync(body, receivedAt: null, cancellationToken);
        switch (result.Outcome)
        {
            case IntakeOutcome.Accepted:
                accepted++;
                var queued = result.Changes.Count(c => c.Queued);
                output.WriteLine($"accepted {path}: webhook {result.WebhookId![..12]}, changes {result.Changes.Count}, queued {queued}");
                break;
            case IntakeOutcome.Rejected:
                Rejected(path, result.Problem!);
                break;
            default:
                throw new InfrastructureFailureException($"storage did not accept {path}: {result.Problem?.Detail}");
        }
    }

    private void Rejected(string path, Problem problem)
    {
        rejected++;
        output.WriteLine($"rejected {path}: {FormatProblem(problem)}");
    }

    /// <summary><c>code at pointer: detail</c>; the pointer part is left out when the problem has none, "(root)" for the whole body.</summary>
    internal static string FormatProblem(Problem problem)
    {
        var where = problem.Pointer switch
        {
            null => "",
            "" => " at (root)",
            var pointer => " at " + pointer,
        };
        return $"{problem.Code}{where}: {problem.Detail}";
    }

    /// <summary>Counts what a drain processed, and writes a line per poisoned queue message.</summary>
    private void Count(IReadOnlyList<ProcessingResult> results)
    {
        foreach (var result in results)
        {
            messages += result.Messages;
            contacts += result.Contacts;
            chunks += result.Chunks;
            quarantined += result.Quarantined;
            if (result.Outcome != ProcessingOutcome.Rejected) continue;
            poisoned++;
            var what = result.Kind is { } kind ? $"{kind.ToField()} change for {result.PhoneNumberId}" : "queue message";
            output.WriteLine($"poisoned {what}: {result.Reason}");
        }
    }
}
