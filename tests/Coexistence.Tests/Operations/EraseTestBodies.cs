using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Operations;

/// <summary>Bodies and storage helpers shared by the erasure tests: two numbers, and customers named by phone and by BSUID.</summary>
internal static class EraseTestBodies
{
    public const string Number = PhoneNumberId;
    public const string Other = "106540352242933";
    public const string Ann = "4915100000001";
    public const string AnnUserId = "US.13491208655302741918";
    public const string Bob = "4915100000002";

    /// <summary>An inbound message on the <c>messages</c> field, naming the sender by phone and (optionally) BSUID.</summary>
    public static byte[] Inbound(string wamid, string from, long timestamp, string text, string? userId = null, string number = Number) =>
        Meta("messages", $$$"""
            "contacts":[{"profile":{"name":"Customer"},"wa_id":"{{{from}}}"{{{(userId is null ? "" : $",\"user_id\":\"{userId}\"")}}}}],
            "messages":[{"from":"{{{from}}}",{{{(userId is null ? "" : $"\"from_user_id\":\"{userId}\",")}}}"id":"{{{wamid}}}",
              "timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{text}}}"}}]
            """, number);

    /// <summary>A status of a message the business sent to <paramref name="recipient"/>.</summary>
    public static byte[] Status(string wamid, string recipient, string status, long timestamp, string number = Number) =>
        Meta("messages", $$$"""
            "statuses":[{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"{{{timestamp}}}","recipient_id":"{{{recipient}}}"}]
            """, number);

    /// <summary>One webhook naming two customers: a history chunk with a thread of each.</summary>
    public static byte[] TwoThreads(string first, string second, long timestamp) =>
        HistoryChunk(0, 1, 10,
            Thread(first, Text($"wamid.h-{first}-{timestamp}", first, timestamp, $"history of {first}")),
            Thread(second, Text($"wamid.h-{second}-{timestamp}", second, timestamp + 1, $"history of {second}")));

    public static byte[] EchoTo(string to, string wamid, long timestamp, string text, string number = Number) =>
        Meta("smb_message_echoes", $$$""" "message_echoes":[{{{EchoText(wamid, to, timestamp, text)}}}] """, number);

    /// <summary>Every row of the tables (as <see cref="TableDump"/> prints them) outside the given partitions.</summary>
    public static async Task<List<string>> RowsOutsideAsync(StorageClients storage, params string[] partitions) =>
        [.. (await TableDump.DumpAsync(storage)).Where(line => !partitions.Contains(line.Split(' ')[1]))];

    public static async Task<List<TableEntity>> RowsOfAsync(StorageClients storage, string table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in storage.Table(table).QueryAsync<TableEntity>($"PartitionKey eq '{partition}'")) rows.Add(row);
        return rows;
    }

    public static async Task<Dictionary<string, byte[]>> BlobsAsync(StorageClients storage, string prefix)
    {
        var container = storage.Container(storage.Names.RawArchiveContainer);
        var blobs = new Dictionary<string, byte[]>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
            blobs[blob.Name] = (await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
        return blobs;
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Takes the one message off a queue (as a late delivery: a message the erasure could not see) and returns its body.</summary>
    public static async Task<BinaryData> TakeQueuedAsync(StorageClients storage, string queue)
    {
        var received = (await storage.Queue(queue).ReceiveMessagesAsync(maxMessages: 32)).Value;
        var message = Assert.Single(received);
        await storage.Queue(queue).DeleteMessageAsync(message.MessageId, message.PopReceipt);
        return message.Body;
    }
}
