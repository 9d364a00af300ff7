using System.Text.RegularExpressions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Cli;

public class IngestCommandTests
{
    private const string Number = "106540352242922";
    private const string OtherNumber = "777000111222333";

    [Fact]
    public async Task Folder_of_valid_files_is_ingested_in_ordinal_path_order_and_exits_0()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        var echo = folder.Write("b-echo.json", CliWebhooks.Echo(Number, "+1 555-000-2222", "wamid.echo1", 1_700_000_000, "hello"));
        var contact = folder.Write("a-contact.json", CliWebhooks.Contact(Number, "15550002222", "Ann Lee", "Ann", 1_700_000_001));
        var history = folder.Write("sub/c-history.json", CliWebhooks.HistoryChunk(Number, "15550003333", "wamid.hist1", 1_699_999_000, "hi", 100));
        folder.Write("notes.txt", "not a webhook: folders contribute only *.json files");

        var run = await CliRun.RunAsync(storage, "ingest", folder.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Collection(run.OutLines,
            line => AssertAccepted(line, contact),
            line => AssertAccepted(line, echo),
            line => AssertAccepted(line, history),
            line => Assert.Equal("summary: accepted 3, rejected 0, messages 2, contacts 1, chunks 1, quarantined 0, poisoned 0", line));

        // Processed through the same handlers: the rows are there.
        var pipeline = PipelineHarness.On(storage);
        var chats = await pipeline.Queries.GetChatsAsync(Number, default);
        Assert.Equal(["15550002222", "15550003333"], chats.Select(c => c.ChatId));
        Assert.Equal("Ann Lee", Assert.Single(await pipeline.Queries.GetContactsAsync(Number, default)).FullName);
        Assert.Equal("completed", (await pipeline.Queries.GetHistoryStatusAsync(Number, default)).State);
        Assert.Equal(0, await StorageInspection.CountQueuedAsync(storage, storage.Names.EchoesQueue));
    }

    [Fact]
    public async Task Files_named_one_by_one_keep_the_order_given()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        var second = folder.Write("z.json", CliWebhooks.Echo(Number, "15550002222", "wamid.z", 1_700_000_000, "z"));
        var first = folder.Write("a.webhook", CliWebhooks.Echo(Number, "15550002222", "wamid.a", 1_700_000_001, "a"));

        var run = await CliRun.RunAsync(storage, "ingest", second, first);

        Assert.Equal(0, run.ExitCode);
        Assert.Collection(run.OutLines,
            line => AssertAccepted(line, second),
            line => AssertAccepted(line, first),
            line => Assert.StartsWith("summary: accepted 2, rejected 0, messages 2,", line));
    }

    [Fact]
    public async Task Rejected_files_exit_2_leave_no_trace_and_the_others_are_still_processed()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        var good = folder.Write("1-good.json", CliWebhooks.Echo(Number, "15550002222", "wamid.good", 1_700_000_000, "kept"));
        // Truncated JSON that names the other number.
        var malformed = folder.Write("2-malformed.json", CliWebhooks.Echo(OtherNumber, "15550002222", "wamid.bad1", 1_700_000_000, "lost")[..120]);
        // Well-formed, but a history webhook without its history array.
        var missing = folder.Write("3-missing.json",
            """{"id":"e","event":"history","data":{"metadata":{"display_phone_number":"15550001111","phone_number_id":"OTHER"} } }""".Replace("OTHER", OtherNumber));
        var alsoGood = folder.Write("4-good.json", CliWebhooks.Contact(Number, "15550004444", "Bo", "Bo", 1_700_000_002));
        var notAnObject = folder.Write("5-array.json", "[1]");

        var run = await CliRun.RunAsync(storage, "ingest", folder.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Collection(run.OutLines,
            line => AssertAccepted(line, good),
            line => Assert.StartsWith($"rejected {malformed}: malformed-json: The body could not be parsed as JSON", line),
            line => Assert.StartsWith($"rejected {missing}: missing-field at /data/history: ", line),
            line => AssertAccepted(line, alsoGood),
            line => Assert.StartsWith($"rejected {notAnObject}: unrecognised-envelope at (root): ", line),
            line => Assert.Equal("summary: accepted 2, rejected 3, messages 1, contacts 1, chunks 0, quarantined 0, poisoned 0", line));

        Assert.Equal(0, await StorageInspection.CountRowsForAsync(storage, OtherNumber));
        Assert.Equal(0, await StorageInspection.CountArchivedBodiesForAsync(storage, OtherNumber));
        Assert.True(await StorageInspection.CountRowsForAsync(storage, Number) > 0);
        foreach (var queue in storage.Names.Queues)
            Assert.Equal(0, await StorageInspection.CountQueuedAsync(storage, queue));
    }

    [Fact]
    public async Task A_poisoned_queue_message_is_reported_and_exits_2()
    {
        var storage = await Azurite.NewStorageAsync();
        await storage.Queue(storage.Names.EchoesQueue).SendMessageAsync("this is not a change message");
        using var folder = new TempFolder();
        var good = folder.Write("good.json", CliWebhooks.Echo(Number, "15550002222", "wamid.good", 1_700_000_000, "kept"));

        var run = await CliRun.RunAsync(storage, "ingest", good);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.OutLines, line => line.StartsWith("poisoned queue message: unreadable queue message", StringComparison.Ordinal));
        Assert.Equal("summary: accepted 1, rejected 0, messages 1, contacts 0, chunks 0, quarantined 0, poisoned 1", run.OutLines[^1]);
        Assert.Equal(1, await StorageInspection.CountQueuedAsync(storage, StorageNames.PoisonQueueOf(storage.Names.EchoesQueue)));
    }

    [Fact]
    public async Task A_missing_path_is_a_usage_error_and_nothing_is_ingested()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        var good = folder.Write("good.json", CliWebhooks.Echo(Number, "15550002222", "wamid.good", 1_700_000_000, "x"));
        var absent = Path.Combine(folder.Path, "absent.json");

        var run = await CliRun.RunAsync(storage, "ingest", good, absent);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains($"No such file or folder: {absent}", run.Error);
        Assert.Equal(0, await StorageInspection.CountRowsForAsync(storage, Number));
    }

    [Fact]
    public async Task A_folder_without_json_files_is_a_usage_error()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();

        var run = await CliRun.RunAsync(storage, "ingest", folder.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("error: no webhook files found", run.Error);
    }

    [Fact]
    public async Task Unreachable_storage_exits_1_with_one_line_on_stderr()
    {
        var names = StorageNames.WithPrefix(Azurite.NewPrefix());
        using var folder = new TempFolder();
        var good = folder.Write("good.json", CliWebhooks.Echo(Number, "15550002222", "wamid.good", 1_700_000_000, "x"));

        var run = await CliRun.RunAsync(names, ["ingest", good, "--storage", CliWebhooks.UnreachableStorage]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: storage account devstoreaccount1 failed: ", line);
        Assert.Contains("127.0.0.1:1", line);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace_to_an_infrastructure_failure()
    {
        var names = StorageNames.WithPrefix(Azurite.NewPrefix());
        using var folder = new TempFolder();
        var good = folder.Write("good.json", CliWebhooks.Echo(Number, "15550002222", "wamid.good", 1_700_000_000, "x"));

        var run = await CliRun.RunAsync(names, ["ingest", good, "--verbose"], environmentStorage: CliWebhooks.UnreachableStorage);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: storage account devstoreaccount1 failed: ", run.ErrorLines[0]);
        Assert.Contains(run.ErrorLines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_storage_option_wins_over_the_environment_variable()
    {
        var storage = await Azurite.NewStorageAsync();
        using var folder = new TempFolder();
        var good = folder.Write("good.json", CliWebhooks.Echo(Number, "15550002222", "wamid.good", 1_700_000_000, "x"));

        var run = await CliRun.RunAsync(storage.Names, ["ingest", good, "--storage", Azurite.ConnectionString],
            environmentStorage: CliWebhooks.UnreachableStorage);

        Assert.Equal(0, run.ExitCode);
    }

    private static void AssertAccepted(string line, string path) =>
        Assert.Matches("^accepted " + Regex.Escape(path) + ": webhook [0-9a-f]{12}, changes 1, queued 1$", line);
}
