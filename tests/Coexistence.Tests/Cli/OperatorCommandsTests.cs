using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Cli;

/// <summary>The operator commands (status, poison, quarantine, reingest) against Azurite, as docs/cli.md describes them.</summary>
public class OperatorCommandsTests
{
    private const string Number = "106540352242922";
    private const string Other = "106540352242933";
    private const string Ann = "15550002222";

    private static JsonElement Json(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// An echoes change whose payload cannot be fetched, so the consumer rejects it (poison + Quarantine row) until the
    /// fix, <c>RestoreAsync</c>, puts the blob back: a message whose payload range names a raw archive blob that is missing.
    /// </summary>
    internal static async Task<(ChangeMessage Message, Func<Task> RestoreAsync)> PoisonAnEchoAsync(StorageClients storage, string phoneNumberId, string wamid)
    {
        var value = $$$"""
            {"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{phoneNumberId}}}"},
             "message_echoes":[{"from":"15550001111","to":"{{{Ann}}}","id":"{{{wamid}}}","timestamp":"1700000000","type":"text","text":{"body":"later"}}]}
            """;
        const string before = """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"smb_message_echoes","value":""";
        var body = Encoding.UTF8.GetBytes(before + value + "}]}]}");
        var webhookId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        var message = new ChangeMessage
        {
            Kind = WebhookKind.MessageEchoes,
            PhoneNumberId = phoneNumberId,
            DisplayPhoneNumber = "15550001111",
            WebhookId = webhookId,
            ChangeIndex = 0,
            ReceivedAt = FixedTime.Default,
            ArchiveBlob = $"{phoneNumberId}/2026/11/25/{webhookId}.json",
            PayloadRange = new PayloadRange(Encoding.UTF8.GetByteCount(before), Encoding.UTF8.GetByteCount(value)),
        };
        await storage.Queue(storage.Names.EchoesQueue).SendMessageAsync(BinaryData.FromBytes(ChangeMessageFormat.Serialize(message)));
        var results = await PipelineHarness.On(storage).Drainer.DrainAsync(CancellationToken.None);
        Assert.Contains(results, r => r.Outcome == Coexistence.Processing.ProcessingOutcome.Rejected);
        return (message, () => storage.Container(storage.Names.RawArchiveContainer).GetBlobClient(message.ArchiveBlob).UploadAsync(BinaryData.FromBytes(body)));
    }

    [Fact]
    public async Task Poison_list_shows_the_reason_and_redrive_after_the_fix_processes_the_message()
    {
        var storage = await Azurite.NewStorageAsync();
        var (message, restoreAsync) = await PoisonAnEchoAsync(storage, Number, "wamid.poison1");

        var listed = Json(await CliRun.RunAsync(storage, "poison", "list", "--json"));
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(["queue", "changeId", "phoneNumberId", "webhookId", "eventId", "receivedAt", "poisonedAt", "reason"], StorageInspection.PropertyNames(entry));
        Assert.Equal("echoes", entry.GetProperty("queue").GetString());
        Assert.Equal(message.ChangeId, entry.GetProperty("changeId").GetString());
        Assert.Equal(Number, entry.GetProperty("phoneNumberId").GetString());
        Assert.Equal("2026-11-25T12:00:00Z", entry.GetProperty("receivedAt").GetString());
        Assert.Equal($"archive blob {message.ArchiveBlob} does not exist", entry.GetProperty("reason").GetString());

        // Listing leaves the message where it was.
        Assert.Single(Json(await CliRun.RunAsync(storage, "poison", "list", "--kind", "echoes", "--json")).EnumerateArray());
        Assert.Empty(Json(await CliRun.RunAsync(storage, "poison", "list", "--kind", "history", "--json")).EnumerateArray());
        var table = await CliRun.RunAsync(storage, "poison", "list");
        Assert.StartsWith("QUEUE", table.OutLines[0]);
        Assert.Contains(message.ChangeId, table.OutLines[1]);

        // Still broken: a re-drive sends it back to poison (exit 2).
        var again = await CliRun.RunAsync(storage, "poison", "redrive", "--all");
        Assert.Equal(2, again.ExitCode);
        Assert.Equal("summary: redriven 1, processed 0, poisoned 1", again.OutLines[^1]);
        Assert.Single(Json(await CliRun.RunAsync(storage, "poison", "list", "--json")).EnumerateArray());

        // The fix: the archived body is back.
        await restoreAsync();
        var redrive = await CliRun.RunAsync(storage, "poison", "redrive", "--id", message.ChangeId);
        Assert.True(redrive.ExitCode == 0, redrive.Out + redrive.Error);
        Assert.Equal("summary: redriven 1, processed 1, poisoned 0", redrive.OutLines[^1]);
        Assert.Empty(Json(await CliRun.RunAsync(storage, "poison", "list", "--json")).EnumerateArray());
        var messages = Json(await CliRun.RunAsync(storage, "show", "messages", Number, Ann, "--json"));
        Assert.Equal("later", Assert.Single(messages.EnumerateArray()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Redrive_takes_only_the_selected_messages()
    {
        var storage = await Azurite.NewStorageAsync();
        var (first, restoreFirstAsync) = await PoisonAnEchoAsync(storage, Number, "wamid.sel1");
        var (second, restoreSecondAsync) = await PoisonAnEchoAsync(storage, Other, "wamid.sel2");
        await restoreFirstAsync();
        await restoreSecondAsync();

        var run = await CliRun.RunAsync(storage, "poison", "redrive", "--filter", $"pnid={Other}", "--no-drain");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("summary: redriven 1, processed -, poisoned -", run.OutLines[^1]);
        var left = Assert.Single(Json(await CliRun.RunAsync(storage, "poison", "list", "--json")).EnumerateArray());
        Assert.Equal(first.ChangeId, left.GetProperty("changeId").GetString());
        Assert.Equal(1, await StorageInspection.CountQueuedAsync(storage, storage.Names.EchoesQueue));

        var missing = await CliRun.RunAsync(storage, "poison", "redrive", "--id", "0000-0");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("summary: redriven 0, processed -, poisoned -", missing.OutLines[^1]);
    }

    [Fact]
    public async Task Redrive_and_reingest_usage_errors_are_found_before_storage()
    {
        var names = StorageNames.WithPrefix(Azurite.NewPrefix());
        foreach (var args in new[]
        {
            new[] { "poison", "redrive" },
            ["poison", "redrive", "--all", "--id", "x"],
            ["poison", "redrive", "--filter", "phone=1"],
            ["poison", "list", "--kind", "statuses"],
            ["reingest", Number, "--from", "2026-11-25"],
            ["reingest", Number, "--from", "2026-11-25", "--to", "2026-11-24"],
            ["reingest", Number, "--from", "25/11/2026", "--to", "2026-11-25"],
            ["reingest", "12a", "--from", "2026-11-25", "--to", "2026-11-25"],
            ["status", "--account", "x", "--storage", "UseDevelopmentStorage=true"],
            ["status", "--account", "Not_An_Account"],
            ["status", "--table-uri", "https://a.table.core.windows.net"],
            ["quarantine", "list", "abc"],
        })
        {
            var run = await CliRun.RunAsync(names, args, environmentStorage: CliWebhooks.UnreachableStorage);
            Assert.True(run.ExitCode == 2, string.Join(' ', args) + ": " + run.Error);
            Assert.Equal("", run.Out);
            Assert.StartsWith("error: ", run.ErrorLines[0]);
        }
    }

    [Fact]
    public async Task Quarantine_list_shows_items_and_change_messages_without_their_content()
    {
        var storage = await Azurite.NewStorageAsync();
        await PoisonAnEchoAsync(storage, Number, "wamid.q1");
        using var folder = new TempFolder();
        folder.Write("bad.json", CliWebhooks.Echo(Number, "not-a-number", "wamid.q2", 1_700_000_000, "secret text"));
        Assert.Equal(0, (await CliRun.RunAsync(storage, "ingest", folder.Path)).ExitCode);

        var run = await CliRun.RunAsync(storage, "quarantine", "list", Number, "--json");
        var entries = Json(run).EnumerateArray().ToList();
        Assert.Equal(["change", "item"], entries.Select(e => e.GetProperty("type").GetString()).Order());
        Assert.All(entries, e => Assert.Equal(
            ["type", "kind", "reason", "pointer", "webhookId", "changeIndex", "changeId", "archiveBlob", "at"], StorageInspection.PropertyNames(e)));
        Assert.DoesNotContain("secret text", run.Out);
        Assert.DoesNotContain("not-a-number", run.Out);
        var item = entries.Single(e => e.GetProperty("type").GetString() == "item");
        Assert.Equal("smb_message_echoes", item.GetProperty("kind").GetString());
        Assert.StartsWith(Number + "/", item.GetProperty("archiveBlob").GetString());

        var table = await CliRun.RunAsync(storage, "quarantine", "list", Number);
        Assert.Equal(3, table.OutLines.Length);
        Assert.Equal("Nothing quarantined for unroutable.", (await CliRun.RunAsync(storage, "quarantine", "list", "unroutable")).OutLines.Single());
    }

    [Fact]
    public async Task Reingest_rebuilds_lost_rows_from_the_raw_archive_and_is_idempotent()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        folder.Write("1.json", CliWebhooks.HistoryChunk(Number, Ann, "wamid.r1", 1_700_000_000, "first", 100));
        folder.Write("2.json", CliWebhooks.Echo(Number, Ann, "wamid.r2", 1_700_000_100, "second"));
        folder.Write("3.json", CliWebhooks.Contact(Number, Ann, "Ann Lee", "Ann", 1_700_000_001));
        folder.Write("4.json", CliWebhooks.Echo(Other, Ann, "wamid.r3", 1_700_000_100, "other number"));
        Assert.Equal(0, (await CliRun.RunAsync(storage, "ingest", folder.Path)).ExitCode);
        var before = await TableDumpOf(storage, Number);

        // Lose every row of the number (the Webhooks registry too: the archive's receivedAt metadata keeps the days).
        foreach (var table in storage.Names.Tables)
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>())
                if (row.PartitionKey == Number || table == storage.Names.WebhooksTable)
                    await storage.Table(table).DeleteEntityAsync(row.PartitionKey, row.RowKey);
        Assert.Equal(0, await StorageInspection.CountRowsForAsync(storage, Number));

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var run = await CliRun.RunAsync(storage, "reingest", Number, "--from", "2020-01-01", "--to", today);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal("summary: bodies 3, accepted 3, rejected 0, messages 2, contacts 1, chunks 1, quarantined 0, poisoned 0", run.OutLines.Single());
        Assert.Equal(before, await TableDumpOf(storage, Number));

        var again = await CliRun.RunAsync(storage, "reingest", Number, "--from", today, "--to", today);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(before, await TableDumpOf(storage, Number));
        Assert.Equal(3, await StorageInspection.CountArchivedBodiesForAsync(storage, Number));

        var none = await CliRun.RunAsync(storage, "reingest", Number, "--from", "2020-01-01", "--to", "2020-01-02");
        Assert.Equal("summary: bodies 0, accepted 0, rejected 0, messages 0, contacts 0, chunks 0, quarantined 0, poisoned 0", none.OutLines.Single());
    }

    [Fact]
    public async Task Status_lists_every_number_with_its_history_state_and_counts()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        folder.Write("1.json", CliWebhooks.HistoryChunk(Number, Ann, "wamid.s1", 1_700_000_000, "first", 40));
        folder.Write("2.json", CliWebhooks.Contact(Number, Ann, "Ann Lee", "Ann", 1_700_000_001));
        folder.Write("3.json", CliWebhooks.Echo(Other, Ann, "wamid.s2", 1_700_000_100, "hello"));
        Assert.Equal(0, (await CliRun.RunAsync(storage, "ingest", folder.Path)).ExitCode);

        var statuses = Json(await CliRun.RunAsync(storage, "status", "--json")).EnumerateArray().ToList();
        Assert.Equal([Number, Other], statuses.Select(s => s.GetProperty("phoneNumberId").GetString()));
        Assert.Equal(["phoneNumberId", "state", "progress", "chunks", "lastChunkAt", "stalled", "error", "chats", "contacts", "connection", "lastEvent",
            "lastSeenAt", "requestWindow"], StorageInspection.PropertyNames(statuses[0]));
        Assert.Equal("connected", statuses[0].GetProperty("connection").GetString());
        Assert.Equal(JsonValueKind.Null, statuses[0].GetProperty("lastEvent").ValueKind);
        // History and contacts arrived: nothing is pending in the window (ingest ran just now, so it is open).
        Assert.Equal(0, statuses[0].GetProperty("requestWindow").GetProperty("pending").GetArrayLength());
        Assert.Equal("in_progress", statuses[0].GetProperty("state").GetString());
        Assert.Equal(40, statuses[0].GetProperty("progress").GetInt32());
        Assert.False(statuses[0].GetProperty("stalled").GetBoolean());
        Assert.Equal(1, statuses[0].GetProperty("chats").GetInt32());
        Assert.Equal(1, statuses[0].GetProperty("contacts").GetInt32());
        Assert.Equal("not_started", statuses[1].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, statuses[1].GetProperty("lastChunkAt").ValueKind);

        var table = await CliRun.RunAsync(storage, "status");
        Assert.Equal(3, table.OutLines.Length);
        Assert.StartsWith("PHONE NUMBER ID", table.OutLines[0]);
        Assert.Contains("in_progress", table.OutLines[1]);
    }

    /// <summary>Every row of the number in the pipeline's tables (Webhooks aside), as comparable text.</summary>
    private static async Task<string> TableDumpOf(StorageClients storage, string phoneNumberId)
    {
        var lines = new List<string>();
        foreach (var table in storage.Names.Tables.Where(t => t != storage.Names.WebhooksTable))
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>($"PartitionKey eq '{phoneNumberId}'"))
                lines.Add(table + "|" + row.RowKey + "|" + string.Join(",", row.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).Order().Select(k => k + "=" + row[k])));
        return string.Join("\n", lines.Order(StringComparer.Ordinal));
    }
}
