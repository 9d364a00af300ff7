using System.Text.Json;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Cli;

public class ShowCommandTests
{
    private const string Number = "106540352242922";
    private const string Ann = "15550002222";
    private const string Cy = "15550003333";

    /// <summary>Two chats (Ann's newer), two contacts, one completed history chunk, ingested through the CLI.</summary>
    private static async Task<StorageClients> IngestSampleAsync()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        folder.Write("1.json", CliWebhooks.HistoryChunk(Number, Ann, "wamid.ann1", 1_700_000_000, "first", 100));
        folder.Write("2.json", CliWebhooks.Echo(Number, "+1 555-000-2222", "wamid.ann2", 1_700_000_100, "second"));
        folder.Write("3.json", CliWebhooks.Echo(Number, Cy, "wamid.cy1", 1_700_000_050, "to cy"));
        folder.Write("4.json", CliWebhooks.Contact(Number, Cy, "Cy Doe", "Cy", 1_700_000_001));
        folder.Write("5.json", CliWebhooks.Contact(Number, Ann, "Ann Lee", "Ann", 1_700_000_001));
        var run = await CliRun.RunAsync(storage, "ingest", folder.Path);
        Assert.Equal(0, run.ExitCode);
        return storage;
    }

    private static JsonElement ParseJson(CliRun run)
    {
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Json_views_have_the_documented_shapes_and_orders()
    {
        var storage = await IngestSampleAsync();

        var chats = ParseJson(await CliRun.RunAsync(storage, "show", "chats", Number, "--json"));
        Assert.Equal(JsonValueKind.Array, chats.ValueKind);
        Assert.Equal([Ann, Cy], chats.EnumerateArray().Select(c => c.GetProperty("chatId").GetString()));
        Assert.All(chats.EnumerateArray(), c => Assert.Equal(["chatId", "lastMessageAt", "messageCount", "customer"], StorageInspection.PropertyNames(c)));
        Assert.Equal(1_700_000_100, chats[0].GetProperty("lastMessageAt").GetInt64());
        Assert.Equal(2, chats[0].GetProperty("messageCount").GetInt64());

        var messages = ParseJson(await CliRun.RunAsync(storage, "show", "messages", Number, "+1 555-000-2222", "--json"));
        Assert.Equal(["wamid.ann1", "wamid.ann2"], messages.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.All(messages.EnumerateArray(), m => Assert.Equal(
            ["id", "chatId", "direction", "from", "to", "timestamp", "type", "status", "source", "text", "media", "revoked", "edited", "delivery", "customer",
             "content", "replyTo", "forwarded", "frequentlyForwarded", "referral", "errors", "reactions"],
            StorageInspection.PropertyNames(m)));
        Assert.Equal("inbound", messages[0].GetProperty("direction").GetString());
        Assert.Equal("outbound", messages[1].GetProperty("direction").GetString());
        Assert.Equal("second", messages[1].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, messages[1].GetProperty("media").ValueKind);
        Assert.Equal(JsonValueKind.Null, messages[1].GetProperty("delivery").ValueKind);

        var contacts = ParseJson(await CliRun.RunAsync(storage, "show", "contacts", Number, "--json"));
        Assert.Equal([Ann, Cy], contacts.EnumerateArray().Select(c => c.GetProperty("phoneNumber").GetString()));
        Assert.All(contacts.EnumerateArray(), c => Assert.Equal(["phoneNumber", "fullName", "firstName", "userId", "parentUserId", "username"], StorageInspection.PropertyNames(c)));

        var history = ParseJson(await CliRun.RunAsync(storage, "show", "history", Number, "--json"));
        Assert.Equal(["state", "progress", "chunks", "error", "phases", "missingChunks", "placeholders"], StorageInspection.PropertyNames(history));
        Assert.Equal("completed", history.GetProperty("state").GetString());
        Assert.Equal(100, history.GetProperty("progress").GetInt64());
        Assert.Equal(1, history.GetProperty("chunks").GetInt32());
        Assert.Equal(JsonValueKind.Null, history.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task An_unknown_number_shows_empty_views_not_an_error()
    {
        var storage = await Azurite.NewStorageAsync();

        foreach (var view in new[] { new[] { "chats", "123" }, ["messages", "123", "456"], ["contacts", "123"] })
        {
            var run = await CliRun.RunAsync(storage, ["show", .. view, "--json"]);
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("[]", run.Out.Trim());
        }

        var history = ParseJson(await CliRun.RunAsync(storage, "show", "history", "123", "--json"));
        Assert.Equal("not_started", history.GetProperty("state").GetString());
        Assert.Equal(0, history.GetProperty("progress").GetInt64());
        Assert.Equal(0, history.GetProperty("chunks").GetInt32());

        var table = await CliRun.RunAsync(storage, "show", "chats", "123");
        Assert.Equal(0, table.ExitCode);
        Assert.Equal(["No chats stored for 123."], table.OutLines);
    }

    [Fact]
    public async Task The_table_shows_a_one_line_summary_per_type_with_replies_forwards_and_reactions()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        foreach (var fixture in new[] { "meta-messages-every-type.json", "meta-messages-location-and-reaction.json", "meta-echo-reaction-and-reply.json" })
            folder.Write(fixture, System.Text.Encoding.UTF8.GetString(Fixtures.Bytes(fixture)));
        Assert.Equal(0, (await CliRun.RunAsync(storage, "ingest", folder.Path)).ExitCode);

        var run = await CliRun.RunAsync(storage, "show", "messages", "106540352242922", "447700900123");
        Assert.Equal(0, run.ExitCode);
        // The CONTENT column of each message, in time order (the fixtures' timestamps).
        var column = run.OutLines[0].IndexOf("CONTENT", StringComparison.Ordinal);
        var contents = run.OutLines.Skip(1).Select(l => l.Length > column ? l[column..].TrimEnd() : "").ToList();
        Assert.Equal(
        [
            "📍 Philz Coffee [👍 customer, 🙏 business]",
            "↩ reply to wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUNTdBM0FDMjJFNEI4NDc1OTlFRTh+/0QA See you there!",
            "👤 Pablo Morales",
            "☑ Yes",
            "☑ Express Shipping",
            "☑ flow",
            "↩ reply to wamid.T.template ☑ Unsubscribe",
            "🛒 2 item(s) Thanks, here is my order",
            "⚠ 131051 Message type unknown",
            "",
            "Invoice",
            "",
            "",
            "↩ reply to wamid.T.earlier Yes, that one",
            "(forwarded) Look at this",
            "Is this still on sale?",
            "(poll_answer)",
        ], contents);
    }

    [Fact]
    public async Task Tables_are_plain_aligned_columns()
    {
        var storage = await IngestSampleAsync();

        var chats = await CliRun.RunAsync(storage, "show", "chats", Number);
        Assert.Equal(0, chats.ExitCode);
        Assert.Equal(
        [
            "CHAT         LAST MESSAGE (UTC)   MESSAGES",
            "15550002222  2023-11-14 22:15:00  2",
            "15550003333  2023-11-14 22:14:10  1",
        ], chats.OutLines);

        var messages = await CliRun.RunAsync(storage, "show", "messages", Number, Ann);
        Assert.Equal(
        [
            "TIME (UTC)           DIRECTION  TYPE  STATUS  SOURCE   MEDIA  CONTENT",
            "2023-11-14 22:13:20  inbound    text  READ    history  -      first",
            "2023-11-14 22:15:00  outbound   text  -       echo     -      second",
        ], messages.OutLines);

        var contacts = await CliRun.RunAsync(storage, "show", "contacts", Number);
        Assert.Equal(
        [
            "PHONE NUMBER  FULL NAME  FIRST NAME",
            "15550002222   Ann Lee    Ann",
            "15550003333   Cy Doe     Cy",
        ], contacts.OutLines);

        var history = await CliRun.RunAsync(storage, "show", "history", Number);
        Assert.Equal(["state         completed", "progress      100", "chunks        1", "phases        0: 1 chunk(s) (1-1)", "missing       -",
            "placeholders  0 awaiting media, 0 too old for media", "error         -"], history.OutLines);
    }

    [Theory]
    [InlineData("show", "messages", "123")]                  // messages needs a chat id
    [InlineData("show", "chats", "12a")]                     // phone_number_id must be digits
    [InlineData("show", "chats", "+123")]                    // ... only digits, never rewritten
    [InlineData("show", "messages", "123", "not-a-number")]  // chat id must be a phone number
    [InlineData("show", "chats", "123", "456")]              // only messages takes a chat id
    [InlineData("show", "people", "123")]
    [InlineData("show", "chats")]
    [InlineData("show")]
    [InlineData("ingest")]
    [InlineData("frobnicate")]
    [InlineData]
    public async Task Command_line_mistakes_are_usage_errors(params string[] args)
    {
        var names = StorageNames.WithPrefix(Azurite.NewPrefix());

        // Unreachable storage: a usage error must be reported before storage is touched.
        var run = await CliRun.RunAsync(names, args, environmentStorage: CliWebhooks.UnreachableStorage);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: ", run.Error);
        Assert.Equal("Run 'coexistence --help' for usage.", run.ErrorLines[^1]);
    }

    [Fact]
    public async Task Show_on_unreachable_storage_exits_1()
    {
        var names = StorageNames.WithPrefix(Azurite.NewPrefix());

        var run = await CliRun.RunAsync(names, ["show", "chats", "123", "--storage", CliWebhooks.UnreachableStorage]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: storage account devstoreaccount1 failed: ", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task An_invalid_connection_string_exits_1_without_echoing_it()
    {
        var names = StorageNames.WithPrefix(Azurite.NewPrefix());

        var run = await CliRun.RunAsync(names, ["show", "chats", "123", "--verbose"], environmentStorage: "AccountKey=secret-looking-value");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: the storage connection string (from COEXISTENCE_STORAGE) is not valid", Assert.Single(run.ErrorLines));
        Assert.DoesNotContain("secret-looking-value", run.Error);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_exits_0()
    {
        var run = await CliRun.RunAsync(StorageNames.Default, ["--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ingest", run.Out);
        Assert.Contains("show", run.Out);
        Assert.Contains("--storage", run.Out);
    }
}
