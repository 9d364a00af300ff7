using Azure.Data.Tables;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Cli;

/// <summary><c>coexistence recount</c> against Azurite, as docs/cli.md describes it.</summary>
public class RecountCommandTests
{
    private const string Number = "106540352242922";
    private const string Other = "106540352242933";

    private static async Task<StorageClients> TwoNumbersWithMessagesAsync()
    {
        var storage = await Azurite.NewStorageAsync();
        var pipeline = PipelineHarness.On(storage, time: new FixedTime());
        foreach (var (number, chat, count) in new[] { (Number, "4915100000001", 3), (Number, "4915100000002", 2), (Other, "4915100000003", 4) })
            for (var i = 0; i < count; i++)
                await pipeline.Intake.ReceiveAsync(System.Text.Encoding.UTF8.GetBytes(
                    CliWebhooks.Echo(number, chat, $"wamid.{chat}.{i}", 1_700_000_000 + i, "hello")), CancellationToken.None);
        await pipeline.Drainer.DrainAsync(CancellationToken.None);
        return storage;
    }

    private static async Task<List<(string Chat, long Count)>> ChatsAsync(StorageClients storage, string number) =>
        [.. (await PipelineHarness.On(storage).Queries.GetChatsAsync(number, CancellationToken.None)).Select(c => (c.ChatId, c.MessageCount)).OrderBy(c => c.ChatId)];

    [Fact]
    public async Task Recount_repairs_missing_and_wrong_summaries_of_every_number_and_a_second_run_changes_nothing()
    {
        var storage = await TwoNumbersWithMessagesAsync();
        var messages = storage.Table(storage.Names.MessagesTable);
        await messages.DeleteEntityAsync(Number, "s|4915100000002");
        await messages.UpsertEntityAsync(new TableEntity(Other, "s|4915100000003") { ["ChatId"] = "4915100000003", ["MessageCount"] = 9L, ["LastMessageAt"] = 1L });
        Assert.Equal([("4915100000001", 3L)], await ChatsAsync(storage, Number));

        var run = await CliRun.RunAsync(storage, "recount");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([$"{Number}: chats 2, corrected 1", $"{Other}: chats 1, corrected 1", "summary: numbers 2, chats 3, corrected 2"], run.OutLines);
        Assert.Equal([("4915100000001", 3L), ("4915100000002", 2L)], await ChatsAsync(storage, Number));
        var other = Assert.Single(await PipelineHarness.On(storage).Queries.GetChatsAsync(Other, CancellationToken.None));
        Assert.Equal((4L, 1_700_000_003L), (other.MessageCount, other.LastMessageAt));

        var again = await CliRun.RunAsync(storage, "recount", Number);
        Assert.Equal([$"{Number}: chats 2, corrected 0", "summary: numbers 1, chats 2, corrected 0"], again.OutLines);
    }

    [Fact]
    public async Task Recount_refuses_a_phone_number_id_that_is_not_digits()
    {
        var storage = await Azurite.NewStorageAsync();
        var run = await CliRun.RunAsync(storage, "recount", "12ab");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Contains("Invalid phone_number_id '12ab'", run.Error);
    }
}
