using System.CommandLine;
using Coexistence.Operations;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Coexistence.Cli;

/// <summary>
/// <c>coexistence ingest &lt;file-or-folder&gt;...</c>: feeds webhook bodies through the door
/// (the intake, the HTTP function's code, through an <see cref="IngestionRun"/>) and drains the queues through the
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
            return shared.RunAgainstStorageAsync(parse, async services =>
            {
                var run = services.GetRequiredService<IngestionRun>();
                var summary = host.OutputIsTerminal && files.Count >= ProgressThreshold
                    ? await RunWithProgressAsync(run, files, host.Out, cancellationToken)
                    : await new FileIngestion(run, host.Out).RunAsync(files, cancellationToken);
                return summary.ExitCode;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>The same run under a Spectre.Console progress bar; the per-file lines still print, above the bar.</summary>
    private static async Task<IngestSummary> RunWithProgressAsync(IngestionRun run, IReadOnlyList<string> files,
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
                var ingestion = new FileIngestion(run, lines)
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
