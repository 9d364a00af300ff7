using Coexistence.Storage;

namespace Coexistence.Cli;

/// <summary>
/// What the CLI takes from its process: where output goes, the environment, and the storage names.
/// The real process uses the console, the process environment and the production names; tests
/// substitute writers, an environment and isolated names.
/// </summary>
internal sealed record CliHost(
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> GetEnvironmentVariable,
    StorageNames StorageNames,
    bool OutputIsTerminal,
    bool ErrorIsTerminal = false)
{
    public static CliHost ForProcess(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, Environment.GetEnvironmentVariable, StorageNames.Default,
            OutputIsTerminal: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
            ErrorIsTerminal: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
}
