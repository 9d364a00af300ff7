using System.CommandLine;
using Azure;
using Azure.Core;
using Azure.Identity;
using Coexistence.Storage;
using Microsoft.Extensions.Options;

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
        Description = "Azure Storage connection string. "
            + $"Default: the {StorageEnvironmentVariable} environment variable, else {DefaultConnectionString} (Azurite).",
        HelpName = "connection string",
        Recursive = true,
    };

    public Option<string?> Account { get; } = new("--account")
    {
        Description = "Azure Storage account name, reached with your Entra ID identity (DefaultAzureCredential: az login, managed identity, ...), no keys.",
        HelpName = "name",
        Recursive = true,
    };

    public Option<string?> TableUri { get; } = new("--table-uri")
    {
        Description = "Table service URI, with --blob-uri and --queue-uri, reached with your Entra ID identity (instead of --account).",
        HelpName = "uri",
        Recursive = true,
    };

    public Option<string?> BlobUri { get; } = new("--blob-uri") { Description = "Blob service URI (see --table-uri).", HelpName = "uri", Recursive = true };

    public Option<string?> QueueUri { get; } = new("--queue-uri") { Description = "Queue service URI (see --table-uri).", HelpName = "uri", Recursive = true };

    /// <summary>The options that choose the storage account, for the root command.</summary>
    public IEnumerable<Option> ConnectionOptions => [Storage, Account, TableUri, BlobUri, QueueUri];

    /// <summary>
    /// At most one way to reach storage, and the three URIs together: usage errors, found before storage
    /// is touched. (Checked by CliApp for every command: a root command's validators do not run for its subcommands.)
    /// </summary>
    public IEnumerable<string> ConnectionErrors(ParseResult parse)
    {
        var uris = new[] { parse.GetValue(TableUri), parse.GetValue(BlobUri), parse.GetValue(QueueUri) };
        var ways = (parse.GetValue(Storage) is { Length: > 0 } ? 1 : 0) + (parse.GetValue(Account) is { Length: > 0 } ? 1 : 0)
            + (uris.Any(u => u is not null) ? 1 : 0);
        if (ways > 1) yield return "Give only one of --storage, --account, or --table-uri/--blob-uri/--queue-uri.";
        if (uris.Any(u => u is not null) && uris.Any(u => u is null)) yield return "--table-uri, --blob-uri and --queue-uri go together.";
        if (uris.Any(u => u is not null && !Uri.TryCreate(u, UriKind.Absolute, out _)))
            yield return "--table-uri, --blob-uri and --queue-uri must be absolute URIs.";
        if (parse.GetValue(Account) is { Length: > 0 } account
            && !(account.Length is >= 3 and <= 24 && account.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
            yield return $"Invalid storage account name '{account}': 3 to 24 lower-case letters and digits.";
    }

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
    /// Opens storage, creates what is missing (idempotent) and runs <paramref name="work"/> with the domain's services
    /// on it (<see cref="CliServices"/>). Any failure of the infrastructure is reported on stderr as one line (with the
    /// stack trace under --verbose) and becomes <see cref="ExitCodes.Failure"/>.
    /// </summary>
    public async Task<int> RunAgainstStorageAsync(ParseResult parse, Func<IServiceProvider, Task<int>> work, CancellationToken cancellationToken)
    {
        StorageClients storage;
        if (IdentityEndpoints(parse) is { } endpoints)
            storage = Connect(endpoints.Table, endpoints.Blob, endpoints.Queue, Credential, host.StorageNames);
        else
        {
            var (connectionString, source) = ConnectionString(parse);
            try
            {
                storage = Connect(connectionString, host.StorageNames);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                // Neither the connection string nor the parser's message (not even under --verbose): either may contain an account key.
                return Fail(parse, $"the storage connection string (from {source}) is not valid", exception: null);
            }
        }

        try
        {
            await storage.EnsureCreatedAsync(cancellationToken);
            await using var services = CliServices.Build(storage, host);
            return await work(services);
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
        catch (OptionsValidationException e)
        {
            // A setting the CLI took from its environment (Retention__TableDays, ...) is out of range: the user's to fix.
            foreach (var failure in e.Failures) host.Error.WriteLine($"error: {failure}");
            return ExitCodes.RejectedOrUsage;
        }
        catch (AuthenticationFailedException e)
        {
            return Fail(parse, $"no Entra ID identity to reach storage account {storage.Blobs.AccountName}: {Describe(e)} (sign in with `az login`)", e);
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

    /// <summary>The identity used with --account, the URIs and --servicebus: az login, environment, managed identity, ...</summary>
    public static Azure.Core.TokenCredential Credential { get; } = new DefaultAzureCredential();

    /// <summary>The three service URIs of --account or --table-uri/--blob-uri/--queue-uri; null when storage is reached by connection string.</summary>
    public (Uri Table, Uri Blob, Uri Queue)? IdentityEndpoints(ParseResult parse)
    {
        if (parse.GetValue(Account) is { Length: > 0 } account)
            return (new Uri($"https://{account}.table.core.windows.net"), new Uri($"https://{account}.blob.core.windows.net"),
                new Uri($"https://{account}.queue.core.windows.net"));
        return parse.GetValue(TableUri) is { } table && parse.GetValue(BlobUri) is { } blob && parse.GetValue(QueueUri) is { } queue
            ? (new Uri(table), new Uri(blob), new Uri(queue))
            : null;
    }

    /// <summary>Identity-based clients with the same short retries as <see cref="Connect(string, StorageNames)"/>.</summary>
    internal static StorageClients Connect(Uri tableUri, Uri blobUri, Uri queueUri, Azure.Core.TokenCredential credential, StorageNames names) =>
        StorageClients.FromServiceUris(tableUri, blobUri, queueUri, credential, names, ShortRetries);

    /// <summary>
    /// Like <see cref="StorageClients.FromConnectionString"/>, with shorter retry delays: the SDK's default
    /// back-off makes an unreachable account take about half a minute to report.
    /// </summary>
    internal static StorageClients Connect(string connectionString, StorageNames names) =>
        StorageClients.FromConnectionString(connectionString, names, ShortRetries);

    private static void ShortRetries(Azure.Core.ClientOptions options)
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(400);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
    }

    internal int Fail(ParseResult parse, string message, Exception? exception)
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
