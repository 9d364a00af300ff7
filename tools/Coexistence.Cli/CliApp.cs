using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;

namespace Coexistence.Cli;

/// <summary>
/// The <c>coexistence</c> command line: wires the commands, turns command-line mistakes into
/// exit code 2, and runs the chosen command. Output goes to the given writers, so tests run it in-process.
/// </summary>
public static class CliApp
{
    public const string Name = "coexistence";

    /// <summary>
    /// Runs one command line. The first Ctrl+C (or SIGTERM) cancels the run, which then stops with exit
    /// code 130; a second one ends the process at once.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        return await RunAsync(args, CliHost.ForProcess(stdout, stderr), interrupted.Token);

        void Interrupt(PosixSignalContext signal)
        {
            if (interrupted.IsCancellationRequested) return; // the second signal: let it end the process
            signal.Cancel = true;
            interrupted.Cancel();
        }
    }

    internal static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var root = BuildCommands(host, out var shared);
        var parse = root.Parse(args);

        var errors = parse.Errors.Select(e => e.Message).ToList();
        if (errors.Count == 0) errors.AddRange(shared.ConnectionErrors(parse));
        if (errors.Count > 0 && parse.Action is not HelpAction)
        {
            foreach (var error in errors)
                host.Error.WriteLine($"error: {error}");
            host.Error.WriteLine($"Run '{Name} --help' for usage.");
            return ExitCodes.RejectedOrUsage;
        }

        // Signals are handled by the caller (see above), not by System.CommandLine.
        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    internal static RootCommand BuildCommands(CliHost host) => BuildCommands(host, out _);

    private static RootCommand BuildCommands(CliHost host, out SharedOptions shared)
    {
        shared = new SharedOptions(host);
        var root = new RootCommand("Feed WhatsApp coexistence webhooks through the ingestion pipeline and look at what it stored.")
        {
            shared.Verbose,
            IngestCommand.Create(shared, host),
            ShowCommand.Create(shared, host),
            // Operator commands (docs/cli.md, docs/operations.md).
            StatusCommand.Create(shared, host),
            PoisonCommand.Create(shared, host),
            QuarantineCommand.Create(shared, host),
            ReingestCommand.Create(shared, host),
            RecountCommand.Create(shared, host),
            EraseCommand.Create(shared, host),
            RetentionCommand.Create(shared, host),
            MediaCommand.Create(shared, host),
        };
        foreach (var option in shared.ConnectionOptions) root.Add(option);
        return root;
    }
}
