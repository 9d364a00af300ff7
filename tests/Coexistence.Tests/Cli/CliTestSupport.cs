using System.Text.Json;
using Azure.Data.Tables;
using Coexistence.Cli;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Cli;

/// <summary>What one in-process run of <c>coexistence</c> printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Lines(Out);
    public string[] ErrorLines => Lines(Error);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>
    /// Runs the CLI against the given isolated storage names. The connection string comes from
    /// COEXISTENCE_STORAGE as the CLI's host sees it (Azurite unless <paramref name="environmentStorage"/> says otherwise).
    /// </summary>
    /// <param name="time">The CLI's clock (the system's when null).</param>
    /// <param name="environment">More environment variables the CLI sees.</param>
    public static async Task<CliRun> RunAsync(StorageNames names, string[] args, string? environmentStorage = null, TimeProvider? time = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var variables = new Dictionary<string, string?> { [SharedOptions.StorageEnvironmentVariable] = environmentStorage ?? Azurite.ConnectionString };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables[name] = value;
        var host = new CliHost(stdout, stderr, name => variables.GetValueOrDefault(name), names, OutputIsTerminal: false, Time: time);
        var exitCode = await CliApp.RunAsync(args, host, CancellationToken.None);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliRun> RunAsync(StorageClients storage, params string[] args) => RunAsync(storage.Names, args);
}

/// <summary>A folder of webhook files under the temp directory, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coexistence-cli-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    /// <summary>Writes a file (creating sub-folders) and returns its path as the CLI will print it.</summary>
    public string Write(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Webhook bodies for the CLI tests, written inline (the shared fixture corpus belongs to other tests).</summary>
internal static class CliWebhooks
{
    public const string Business = "15550001111";

    public static string Echo(string phoneNumberId, string to, string wamid, long timestamp, string text) => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"WABA1","changes":[{"field":"smb_message_echoes","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{Business}}}","phone_number_id":"{{{phoneNumberId}}}"},
          "message_echoes":[{"from":"{{{Business}}}","to":"{{{to}}}","id":"{{{wamid}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{text}}}"}}]}}]}]}
        """;

    public static string Contact(string phoneNumberId, string number, string fullName, string firstName, long timestamp) => $$$"""
        {"id":"evt-{{{number}}}","event":"smb_app_state_sync","data":{"id":"WABA1","messaging_product":"whatsapp",
          "metadata":{"display_phone_number":"{{{Business}}}","phone_number_id":"{{{phoneNumberId}}}"},
          "state_sync":[{"type":"contact","contact":{"full_name":"{{{fullName}}}","first_name":"{{{firstName}}}","phone_number":"{{{number}}}"},
            "action":"add","metadata":{"timestamp":"{{{timestamp}}}"}}]}}
        """;

    /// <summary>One history chunk: one inbound text message from <paramref name="customer"/>.</summary>
    public static string HistoryChunk(string phoneNumberId, string customer, string wamid, long timestamp, string text, int progress) => $$$"""
        {"id":"evt-{{{wamid}}}","event":"history","data":{"id":"WABA1","messaging_product":"whatsapp",
          "metadata":{"display_phone_number":"{{{Business}}}","phone_number_id":"{{{phoneNumberId}}}"},
          "history":[{"metadata":{"phase":0,"chunk_order":1,"progress":{{{progress}}} },"threads":[{"id":"{{{customer}}}","messages":[
            {"from":"{{{customer}}}","id":"{{{wamid}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{text}}}"},"history_context":{"status":"READ"}}]}]}]}}
        """;

    /// <summary>A connection string whose endpoints nothing listens on.</summary>
    public const string UnreachableStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";
}

internal static class StorageInspection
{
    /// <summary>Rows in any of the pipeline's tables whose partition is <paramref name="phoneNumberId"/>.</summary>
    public static async Task<int> CountRowsForAsync(StorageClients storage, string phoneNumberId)
    {
        var count = 0;
        foreach (var table in storage.Names.Tables)
            await foreach (var _ in storage.Table(table).QueryAsync<TableEntity>($"PartitionKey eq '{phoneNumberId}'")) count++;
        return count;
    }

    public static async Task<int> CountArchivedBodiesForAsync(StorageClients storage, string phoneNumberId)
    {
        var count = 0;
        await foreach (var _ in storage.Container(storage.Names.RawArchiveContainer).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, phoneNumberId + "/", CancellationToken.None)) count++;
        return count;
    }

    public static async Task<int> CountQueuedAsync(StorageClients storage, string queueName)
    {
        var properties = await storage.Queue(queueName).GetPropertiesAsync();
        return properties.Value.ApproximateMessagesCount;
    }

    public static string[] PropertyNames(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();
}
