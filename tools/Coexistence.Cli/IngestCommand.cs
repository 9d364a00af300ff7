using System.CommandLine;
using System.Text;
using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Webhooks;
using Spectre.Console;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence ingest &lt;file-or-folder&gt;...</c>: feeds webhook bodies through the door
/// (<see cref="WebhookIntake"/>, the HTTP function's code) and drains the queues through the
/// consumers' code, so that files end in the tables exactly as deliveries would.
/// </summary>
internal static class IngestCommand
{
    /// <summary>Above this many files a progress display is shown, when stdout is a terminal.</summary>
    public const int ProgressThreshold = 20;

    public static Command Create(SharedOptions shared, CliHost host)
    {
        var paths = new Argument<string[]>("file-or-folder")
        {
            Description = "A file holding one raw webhook body, or a folder: every *.json file in it, recursively, in ordinal path order.",
            Arity = ArgumentArity.OneOrMore,
        };
        paths.Validators.Add(result =>
        {
            foreach (var path in result.GetValueOrDefault<string[]>() ?? [])
                if (!File.Exists(path) && !Directory.Exists(path))
                    result.AddError($"No such file or folder: {path}");
        });

        var command = new Command("ingest", "Receive webhook bodies from files through the door, then process them from the queues.") { paths };
        command.SetAction((parse, cancellationToken) =>
        {
            var files = WebhookFiles.Expand(parse.GetRequiredValue(paths));
            if (files.Count == 0)
            {
                host.Error.WriteLine("error: no webhook files found (a folder contributes the *.json files under it)");
                return Task.FromResult(ExitCodes.RejectedOrUsage);
            }
            return shared.RunAgainstStorageAsync(parse, async storage =>
            {
                var intakeOptions = new IntakeOptions();
                var pipeline = new Pipeline(storage, intakeOptions: intakeOptions);
                var summary = host.OutputIsTerminal && files.Count >= ProgressThreshold
                    ? await RunWithProgressAsync(pipeline, intakeOptions, files, host.Out, cancellationToken)
                    : await new FileIngestion(pipeline, intakeOptions, host.Out).RunAsync(files, cancellationToken);
                return summary.ExitCode;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>The same run under a Spectre.Console progress bar; the per-file lines still print, above the bar.</summary>
    private static async Task<IngestSummary> RunWithProgressAsync(Pipeline pipeline, IntakeOptions intakeOptions, IReadOnlyList<string> files,
        TextWriter stdout, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        using var lines = new AnsiConsoleLineWriter(console);
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Receiving", maxValue: files.Count);
                var ingestion = new FileIngestion(pipeline, intakeOptions, lines)
                {
                    OnStep = step =>
                    {
                        task.Value = step.FilesReceived;
                        task.Description = step.Draining ? "Processing queues" : "Receiving";
                    },
                };
                return await ingestion.RunAsync(files, cancellationToken);
            });
    }
}

/// <summary>Where an ingest run stands, for a progress display.</summary>
internal readonly record struct IngestStep(int FilesReceived, int FilesTotal, bool Draining);

/// <summary>The totals of an ingest run; the last line printed.</summary>
internal sealed record IngestSummary(int Accepted, int Rejected, int Messages, int Contacts, int Chunks, int Quarantined, int Poisoned)
{
    public int ExitCode => Rejected > 0 || Poisoned > 0 ? ExitCodes.RejectedOrUsage : ExitCodes.Success;

    public string Line =>
        $"summary: accepted {Accepted}, rejected {Rejected}, messages {Messages}, contacts {Contacts}, chunks {Chunks}, quarantined {Quarantined}, poisoned {Poisoned}";
}

/// <summary>
/// Receives each file through the door and drains the queues (every <see cref="DrainEveryAccepted"/>
/// accepted files, and at the end), writing one line per file, one per poisoned queue message, and
/// the summary. Storage failures are thrown; <see cref="SharedOptions"/> reports them.
/// </summary>
internal sealed class FileIngestion(Pipeline pipeline, IntakeOptions intakeOptions, TextWriter output)
{
    /// <summary>Keeps the queues short on big inputs; every accepted file is processed before the run ends either way.</summary>
    public const int DrainEveryAccepted = 100;

    /// <summary>Code of the CLI's own rejection when a file cannot be read (the door never saw it).</summary>
    public const string UnreadableFile = "unreadable-file";

    public Action<IngestStep>? OnStep { get; init; }

    private int accepted, rejected, messages, contacts, chunks, quarantined, poisoned;

    public async Task<IngestSummary> RunAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var acceptedSinceDrain = 0;
        for (var i = 0; i < files.Count; i++)
        {
            if (await ReceiveAsync(files[i], cancellationToken)) acceptedSinceDrain++;
            OnStep?.Invoke(new IngestStep(i + 1, files.Count, Draining: false));
            if (acceptedSinceDrain >= DrainEveryAccepted)
            {
                await DrainAsync(i + 1, files.Count, cancellationToken);
                acceptedSinceDrain = 0;
            }
        }
        await DrainAsync(files.Count, files.Count, cancellationToken);

        var summary = new IngestSummary(accepted, rejected, messages, contacts, chunks, quarantined, poisoned);
        output.WriteLine(summary.Line);
        return summary;
    }

    /// <summary>One file through the door. True when accepted.</summary>
    private async Task<bool> ReceiveAsync(string path, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            // Refuse an oversized file before reading it, with the door's own problem.
            if (new FileInfo(path).Length > intakeOptions.MaxBodyBytes)
                return Rejected(path, WebhookIntake.TooLarge(intakeOptions.MaxBodyBytes));
            body = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Rejected(path, new WebhookProblem(UnreadableFile, "The file could not be read", e.Message));
        }

        var result = await pipeline.Intake.ReceiveAsync(body, cancellationToken);
        switch (result.Outcome)
        {
            case IntakeOutcome.Accepted:
                accepted++;
                var queued = result.Changes.Count(c => c.Queued);
                output.WriteLine($"accepted {path}: webhook {result.WebhookId![..12]}, changes {result.Changes.Count}, queued {queued}");
                return true;
            case IntakeOutcome.Rejected:
                return Rejected(path, result.Problem!);
            default:
                throw new InfrastructureFailureException($"storage did not accept {path}: {result.Problem?.Detail}");
        }
    }

    private bool Rejected(string path, WebhookProblem problem)
    {
        rejected++;
        output.WriteLine($"rejected {path}: {FormatProblem(problem)}");
        return false;
    }

    /// <summary><c>code at pointer: detail</c>; the pointer part is left out when the problem has none, "(root)" for the whole body.</summary>
    internal static string FormatProblem(WebhookProblem problem)
    {
        var where = problem.Pointer switch
        {
            null => "",
            "" => " at (root)",
            var pointer => " at " + pointer,
        };
        return $"{problem.Code}{where}: {problem.Detail}";
    }

    private async Task DrainAsync(int filesReceived, int filesTotal, CancellationToken cancellationToken)
    {
        OnStep?.Invoke(new IngestStep(filesReceived, filesTotal, Draining: true));
        foreach (var result in await pipeline.Drainer.DrainAsync(cancellationToken))
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
        OnStep?.Invoke(new IngestStep(filesReceived, filesTotal, Draining: false));
    }
}

/// <summary>Turns the command line's files and folders into the list of files to ingest.</summary>
internal static class WebhookFiles
{
    /// <summary>Arguments in the order given; a folder becomes every *.json file under it, in ordinal path order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else
                files.Add(path);
        }
        return files;
    }
}

/// <summary>A TextWriter that writes whole lines through Spectre.Console, so they appear above a live progress display.</summary>
internal sealed class AnsiConsoleLineWriter(IAnsiConsole console) : TextWriter
{
    private readonly StringBuilder pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            console.WriteLine(pending.ToString().TrimEnd('\r'));
            pending.Clear();
        }
        else pending.Append(value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && pending.Length > 0)
        {
            console.WriteLine(pending.ToString());
            pending.Clear();
        }
        base.Dispose(disposing);
    }
}
