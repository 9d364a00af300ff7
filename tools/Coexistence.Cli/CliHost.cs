using Coexistence.Storage;

namespace Coexistence.Cli;

/// <summary>
/// What the CLI takes from its process: where output goes, the environment, the storage names and the clock.
/// The real process uses the console, the process environment, the production names and the system clock; tests
/// substitute writers, an environment, isolated names and a clock of their own.
/// </summary>
internal sealed record CliHost(
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> GetEnvironmentVariable,
    StorageNames StorageNames,
    bool OutputIsTerminal,
    bool ErrorIsTerminal = false,
    TimeProvider? Time = null)
{
    public static CliHost ForProcess(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, Environment.GetEnvironmentVariable, StorageNames.Default,
            OutputIsTerminal: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
            ErrorIsTerminal: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
}
