namespace Coexistence.Cli;

/// <summary>The process exit codes, a public contract (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Every file was accepted and processed; or the query was answered.</summary>
    public const int Success = 0;

    /// <summary>Infrastructure failure: storage unreachable, a bad connection string, a queue that keeps failing.</summary>
    public const int Failure = 1;

    /// <summary>A file was rejected or a queue message was poisoned (ingest), or the command line is wrong.</summary>
    public const int RejectedOrUsage = 2;

    /// <summary>Interrupted with Ctrl+C (the shell convention 128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
