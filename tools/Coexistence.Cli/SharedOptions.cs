using System.CommandLine;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Coexistence.Storage;

namespace Coexistence.Cli;

/// <summary>
/// The options every command takes (<c>--storage</c>, <c>--verbose</c>) and the one place that opens
/// storage and turns infrastructure failures into a one-line error and exit code 1.
/// </summary>
internal sealed class SharedOptions(CliHost host)
{
    public const string StorageEnvironmentVariable = "COEXISTENCE_STORAGE";
    public const string DefaultConnectionString = "UseDevelopmentStorage=true";

    public Option<string?> Storage { get; } = new("--storage")
    {
        Description = $"Azure Storage connection string. Default: the {StorageEnvironmentVariable} environment variable, else {DefaultConnectionString} (Azurite).",
        HelpName = "connection string",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "On an infrastructure failure, print the whole exception with its stack trace.",
        Recursive = true,
    };

    /// <summary><c>--storage</c>, else <c>COEXISTENCE_STORAGE</c>, else Azurite; and where it came from, for error messages.</summary>
    public (string ConnectionString, string Source) ConnectionString(ParseResult parse) =>
        parse.GetValue(Storage) is { Length: > 0 } fromOption ? (fromOption, "--storage")
        : host.GetEnvironmentVariable(StorageEnvironmentVariable) is { Length: > 0 } fromEnvironment ? (fromEnvironment, StorageEnvironmentVariable)
        : (DefaultConnectionString, "the default");

    /// <summary>
    /// Opens storage, creates what is missing (idempotent) and runs <paramref name="work"/>. Any failure
    /// of the infrastructure is reported on stderr as one line (with the stack trace under --verbose)
    /// and becomes <see cref="ExitCodes.Failure"/>.
    /// </summary>
    public async Task<int> RunAgainstStorageAsync(ParseResult parse, Func<StorageClients, Task<int>> work, CancellationToken cancellationToken)
    {
        var (connectionString, source) = ConnectionString(parse);
        StorageClients storage;
        try
        {
            storage = Connect(connectionString, host.StorageNames);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // Neither the connection string nor the parser's message (not even under --verbose): either may contain an account key.
            return Fail(parse, $"the storage connection string (from {source}) is not valid", exception: null);
        }

        try
        {
            await storage.EnsureCreatedAsync(cancellationToken);
            return await work(storage);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            host.Error.WriteLine("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (InfrastructureFailureException e)
        {
            return Fail(parse, e.Message, e);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            return Fail(parse, $"storage account {storage.Blobs.AccountName} failed: {Describe(e)}", e);
        }
        catch (Exception e)
        {
            return Fail(parse, $"unexpected {e.GetType().Name}: {Describe(e)}", e);
        }
    }

    /// <summary>
    /// Like <see cref="StorageClients.FromConnectionString"/>, with shorter retry delays: the SDK's default
    /// back-off makes an unreachable account take about half a minute to report.
    /// </summary>
    internal static StorageClients Connect(string connectionString, StorageNames names)
    {
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        var queueOptions = StorageClients.QueueOptions();
        foreach (var retry in new[] { tableOptions.Retry, blobOptions.Retry, queueOptions.Retry })
        {
            retry.Mode = RetryMode.Exponential;
            retry.MaxRetries = 3;
            retry.Delay = TimeSpan.FromMilliseconds(400);
            retry.MaxDelay = TimeSpan.FromSeconds(2);
        }
        return new StorageClients(
            new TableServiceClient(connectionString, tableOptions),
            new BlobServiceClient(connectionString, blobOptions),
            new QueueServiceClient(connectionString, queueOptions),
            names);
    }

    private int Fail(ParseResult parse, string message, Exception? exception)
    {
        host.Error.WriteLine($"error: {message}");
        if (exception is not null && parse.GetValue(Verbose)) host.Error.WriteLine(exception.ToString());
        return ExitCodes.Failure;
    }

    private static bool IsStorageFailure(Exception e) =>
        e is RequestFailedException or HttpRequestException or IOException or TimeoutException
        || (e is AggregateException aggregate && aggregate.InnerExceptions.All(IsStorageFailure))
        || (e is OperationCanceledException); // the SDK's network timeout, the caller did not cancel

    /// <summary>The most telling message of a failure, on one line (the Azure SDK wraps retries in AggregateException).</summary>
    internal static string Describe(Exception e)
    {
        while (true)
        {
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate) e = aggregate.InnerExceptions[^1];
            else if (e is RequestFailedException { Status: 0, InnerException: { } cause }) e = cause;
            else break;
        }
        var text = e is RequestFailedException { Status: > 0 } failed
            ? $"{failed.Status} {failed.ErrorCode}: {FirstLine(failed.Message)}"
            : FirstLine(e.Message);
        return text;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "unknown error" : line;
    }
}

/// <summary>A failure of storage or the queues that the domain reported as an outcome rather than an exception.</summary>
internal sealed class InfrastructureFailureException(string message) : Exception(message);
