using System.Text.Json;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Operations.EraseTestBodies;

namespace Coexistence.Tests.Cli;

/// <summary><c>coexistence erase</c> against Azurite, as docs/cli.md describes it.</summary>
public class EraseCommandTests
{
    private static async Task<StorageClients> StoredAsync()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.DeliverAllAsync([EchoTo(Ann, "wamid.e1", 1_700_000_100, "hello ann"), EchoTo(Bob, "wamid.e2", 1_700_000_200, "hello bob"),
            EchoTo(Bob, "wamid.o1", 1_700_000_300, "other", number: Other)]);
        return h.Storage;
    }

    [Fact]
    public async Task Erase_without_yes_is_a_dry_run_and_with_yes_erases_the_number()
    {
        var storage = await StoredAsync();
        // Numbers: the registry row and the WABA index row the two echoes of the number taught the registry.
        var rows = await StorageInspection.CountRowsForAsync(storage, Number);

        var dry = await CliRun.RunAsync(storage, "erase", Number);
        Assert.True(dry.ExitCode == 0, dry.Out + dry.Error);
        Assert.Equal([
            $"would erase number {Number}: rows: messages 6, contacts 0, history sync 0, quarantine 0, numbers 2; blobs deleted 2, queue messages -",
            "Nothing was deleted. Re-run with --yes to erase.",
        ], dry.OutLines);
        Assert.Equal(rows, await StorageInspection.CountRowsForAsync(storage, Number));

        var run = await CliRun.RunAsync(storage, "erase", Number, "--yes", "--by", "ops@example");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal($"erased number {Number}: rows: messages 6, contacts 0, history sync 0, quarantine 0, numbers 2; blobs deleted 2, queue messages 0",
            run.OutLines[0]);
        Assert.Matches(@"^recorded: erased at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by ops@example, completed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", run.OutLines[1]);
        Assert.Equal(2, run.OutLines.Length);
        Assert.Equal(1, await StorageInspection.CountRowsForAsync(storage, Number));
        Assert.Equal(1, await StorageInspection.CountArchivedBodiesForAsync(storage, Other));
    }

    [Fact]
    public async Task Erase_json_prints_the_record_and_the_counts()
    {
        var storage = await StoredAsync();

        var run = await CliRun.RunAsync(storage, "erase", Number, "--customer", "+49 151 00000001", "--yes", "--by", "dpo", "--json");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        Assert.Equal(["phoneNumberId", "customerId", "dryRun", "state", "resumed", "erasedAt", "erasedBy", "completedAt", "erasedIds", "rows",
            "blobsDeleted", "blobsRedacted", "queueMessages"], StorageInspection.PropertyNames(root));
        Assert.Equal((Number, Ann, false, "erased", "dpo"), (root.GetProperty("phoneNumberId").GetString(), root.GetProperty("customerId").GetString(),
            root.GetProperty("dryRun").GetBoolean(), root.GetProperty("state").GetString(), root.GetProperty("erasedBy").GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", root.GetProperty("erasedAt").GetString());
        Assert.Equal([Ann], root.GetProperty("erasedIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["messages", "contacts", "historySync", "quarantine", "numbers"], StorageInspection.PropertyNames(root.GetProperty("rows")));
        Assert.Equal(3, root.GetProperty("rows").GetProperty("messages").GetInt64()); // chat row, index row, summary
        Assert.Equal(1, root.GetProperty("blobsRedacted").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("queueMessages").ValueKind);

        var dry = await CliRun.RunAsync(storage, "erase", Number, "--json");
        using var plan = JsonDocument.Parse(dry.Out);
        Assert.True(plan.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(JsonValueKind.Null, plan.RootElement.GetProperty("state").ValueKind);
    }

    [Fact]
    public async Task Erase_of_an_unknown_number_or_customer_says_so_and_exits_2()
    {
        var storage = await StoredAsync();

        var number = await CliRun.RunAsync(storage, "erase", "999", "--yes");
        Assert.Equal(2, number.ExitCode);
        Assert.Equal("", number.Out);
        Assert.Equal(["error: nothing is stored of number 999"], number.ErrorLines);

        var customer = await CliRun.RunAsync(storage, "erase", Number, "--customer", "4915199999999");
        Assert.Equal(2, customer.ExitCode);
        Assert.Equal([$"error: nothing is stored of customer 4915199999999 of number {Number}"], customer.ErrorLines);

        var usage = await CliRun.RunAsync(storage, "erase", Number, "--customer", "not a customer");
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("error: Invalid --customer", usage.ErrorLines[0]);
        Assert.Equal(0, await StorageInspection.CountRowsForAsync(storage, "999"));
    }
}
