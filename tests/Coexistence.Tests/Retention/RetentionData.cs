using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Coexistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Tests.Retention;

/// <summary>
/// Two numbers' worth of old and young data for the retention tests, delivered through the door on a clock the test
/// moves: messages, statuses, facts and quarantined items received at <see cref="Old"/> (archived under that day) and at
/// <see cref="Now"/>, a contact, and what the tests read back.
/// </summary>
internal static class RetentionData
{
    public const string A = WebhookBuilder.PhoneNumberId;
    public const string B = "106540352242933";
    public const string ChatX = "4915100000001";
    public const string ChatY = "4915100000002";

    /// <summary>When the old data arrived (319 days before <see cref="Now"/>).</summary>
    public static readonly DateTimeOffset Old = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = FixedTime.Default;

    public static readonly long OldSentAt = Old.AddHours(-1).ToUnixTimeSeconds();
    public static readonly long YoungSentAt = Now.AddDays(-1).ToUnixTimeSeconds();

    /// <summary>A pipeline on the clock, with these retention settings (the defaults when null).</summary>
    public static async Task<(PipelineHarness Pipeline, ManualTime Time)> PipelineAsync(int? tableDays = 30, int? archiveDays = 100,
        StorageClients? storage = null)
    {
        var time = new ManualTime(Now);
        void Configure(IServiceCollection services) => services.Configure<RetentionOptions>(o =>
        {
            if (tableDays is { } t) o.TableDays = t;
            if (archiveDays is { } a) o.ArchiveDays = a;
        });
        var pipeline = PipelineHarness.On(storage ?? await Azurite.NewStorageAsync(), time, configure: Configure);
        return (pipeline, time);
    }

    /// <summary>
    /// For the number: at <see cref="Old"/>, messages in chats X and Y, a status of one, a status and an edit of messages
    /// never stored, a quarantined item and a contact; at <see cref="Now"/>, a message in chat X, its status, a status and an
    /// edit of messages never stored, a quarantined item.
    /// </summary>
    public static async Task SeedAsync(PipelineHarness pipeline, ManualTime time, string number)
    {
        time.Now = Old;
        await pipeline.DeliverAllAsync([
            Echo(number, EchoText($"wamid.{number}.old1", ChatX, OldSentAt)),
            Echo(number, EchoText($"wamid.{number}.old2", ChatY, OldSentAt + 100)),
            Status(number, $"wamid.{number}.old1", "delivered", OldSentAt + 600, ChatX),
            Status(number, $"wamid.{number}.api.old", "sent", OldSentAt + 600, ChatX),
            Echo(number, WebhookBuilder.EchoEdit($"wamid.{number}.edit.old", ChatX, OldSentAt + 700, $"wamid.{number}.never.old", "edited")),
            Echo(number, BadEcho($"wamid.{number}.bad.old", OldSentAt)),
            WebhookBuilder.Partner("smb_app_state_sync",
                $$$""" "state_sync":[{{{WebhookBuilder.ContactAdd(ChatX, "Ana Lima", "Ana", OldSentAt.ToString())}}}] """, number,
                eventId: "evt-contact-" + number),
        ]);
        time.Now = Now;
        await pipeline.DeliverAllAsync([
            Echo(number, EchoText($"wamid.{number}.young1", ChatX, YoungSentAt)),
            Status(number, $"wamid.{number}.young1", "read", YoungSentAt + 600, ChatX),
            Status(number, $"wamid.{number}.api.young", "sent", YoungSentAt + 600, ChatX),
            Echo(number, WebhookBuilder.EchoEdit($"wamid.{number}.edit.young", ChatX, YoungSentAt + 700, $"wamid.{number}.never.young", "edited")),
            Echo(number, BadEcho($"wamid.{number}.bad.young", YoungSentAt)),
        ]);
    }

    /// <summary>The bodies <see cref="SeedAsync"/> delivers at <see cref="Old"/> (each archived once, under that day).</summary>
    public const int OldBodies = 7;

    private static string EchoText(string id, string to, long at) => WebhookBuilder.EchoText(id, to, at, "hello " + id);

    /// <summary>An echo without <c>to</c>: quarantined.</summary>
    private static string BadEcho(string id, long at) =>
        $$$"""{"from":"{{{WebhookBuilder.BusinessDigits}}}","id":"{{{id}}}","timestamp":"{{{at}}}","type":"text","text":{"body":"x"}}""";

    private static byte[] Echo(string number, string item) => WebhookBuilder.Meta("smb_message_echoes", $$$""" "message_echoes":[{{{item}}}] """, number);

    private static byte[] Status(string number, string wamid, string status, long at, string recipient) =>
        WebhookBuilder.Meta("messages",
            $$$""" "statuses":[{"id":"{{{wamid}}}","status":"{{{status}}}","timestamp":"{{{at}}}","recipient_id":"{{{recipient}}}"}] """, number);

    /// <summary>The RowKeys of a number's partition of a table, sorted (ordinal).</summary>
    public static async Task<List<string>> RowKeysAsync(StorageClients storage, string table, string partition)
    {
        var keys = new List<string>();
        await foreach (var row in storage.Table(table).QueryAsync<TableEntity>(TableFilters.Partition(partition), select: ["RowKey"])) keys.Add(row.RowKey);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public static async Task<List<string>> MessageKeysAsync(StorageClients storage, string number, string prefix) =>
        [.. (await RowKeysAsync(storage, storage.Names.MessagesTable, number)).Where(k => k.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>The archive's blob names under a folder, sorted.</summary>
    public static async Task<List<string>> BlobsAsync(StorageClients storage, string folder)
    {
        var names = new List<string>();
        var container = storage.Container(storage.Names.RawArchiveContainer);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, folder + "/", CancellationToken.None))
            names.Add(blob.Name);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Writes an archive blob directly (a body naming no number, a day the door did not see in this test).</summary>
    public static Task StoreBlobAsync(PipelineHarness pipeline, string? number, DateTimeOffset receivedAt, string webhookId) =>
        pipeline.Archive.StoreIfAbsentAsync(RawArchive.BlobName(number, receivedAt, webhookId), Encoding.UTF8.GetBytes("{}"), receivedAt,
            CancellationToken.None);

    /// <summary>Every row of the number in every table, and its archive, as text: to compare before and after.</summary>
    public static async Task<List<string>> EverythingOfAsync(StorageClients storage, string number)
    {
        var lines = new List<string>();
        foreach (var table in storage.Names.Tables)
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>(TableFilters.Partition(number)))
                lines.Add($"{table} {row.RowKey} "
                          + string.Join(",", row.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order().Select(k => $"{k}={row[k]}")));
        lines.AddRange(await BlobsAsync(storage, number));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
