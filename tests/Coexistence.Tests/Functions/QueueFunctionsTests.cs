using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Coexistence.Functions.StorageQueue;
using Coexistence.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Functions;

/// <summary>The queue-triggered functions called directly with the message the door put on their queue.</summary>
public class QueueFunctionsTests
{
    private static async Task<QueueMessage> TakeOneAsync(QueueClient queue) => Assert.Single((await queue.ReceiveMessagesAsync(10)).Value);

    [Fact]
    public async Task ProcessMessageEchoes_writes_the_echo_to_its_chat()
    {
        var h = await PipelineHarness.CreateAsync();
        await h.Intake.ReceiveAsync(Echo(EchoText("wamid.q/1", "15551234567", 1_700_000_000, "from the app")), default);
        var message = await TakeOneAsync(h.Storage.Queue(h.Storage.Names.EchoesQueue));

        await new ProcessMessageEchoes(h.Consumer).Run(message, default);

        var view = Assert.Single(await h.Queries.GetMessagesAsync(PhoneNumberId, "15551234567", default));
        Assert.Equal("from the app", view.Text);
    }

    [Fact]
    public async Task ProcessHistory_and_ProcessContactSync_write_their_tables()
    {
        var h = await PipelineHarness.CreateAsync();
        var consumer = h.Consumer;
        await h.Intake.ReceiveAsync(HistoryChunk(0, 1, 100, Thread("15551234567", Text("wamid.q/2", "15551234567", 1_600_000_000, "old"))), default);
        await h.Intake.ReceiveAsync(Contacts(ContactAdd("15551234567", "Ada", "Ada", "1700000000")), default);

        await new ProcessHistory(consumer).Run(await TakeOneAsync(h.Storage.Queue(h.Storage.Names.HistoryQueue)), default);
        await new ProcessContactSync(consumer).Run(await TakeOneAsync(h.Storage.Queue(h.Storage.Names.ContactsQueue)), default);

        Assert.Equal("completed", (await h.Queries.GetHistoryStatusAsync(PhoneNumberId, default)).State);
        Assert.Equal("Ada", Assert.Single(await h.Queries.GetContactsAsync(PhoneNumberId, default)).FullName);
    }

    [Fact]
    public async Task A_message_that_can_never_succeed_goes_to_the_poison_queue_with_its_reason_recorded()
    {
        var h = await PipelineHarness.CreateAsync();
        var garbage = QueuesModelFactory.QueueMessage("id-1", "pop-1", BinaryData.FromString("{\"version\":99}"), dequeueCount: 1);

        await new ProcessHistory(h.Consumer).Run(garbage, default);

        var poisoned = await TakeOneAsync(h.Storage.Queue(StorageNames.PoisonQueueOf(h.Storage.Names.HistoryQueue)));
        Assert.Equal("{\"version\":99}", poisoned.Body.ToString());
        var row = Assert.Single(await EndToEnd.HistoryPipelineTests.QuarantineRowsAsync(h));
        Assert.Equal(QuarantineTable.UnroutablePartition, row.PartitionKey);
        Assert.Equal("unreadable queue message: unsupported version 99", row.GetString("Reason"));
    }

    /// <summary>Issue 18, finding 3, the Storage flavour: a table 400 would fail the same way on each of the host's five attempts.</summary>
    [Fact]
    public async Task A_write_storage_refuses_for_good_goes_to_the_poison_queue_at_once_with_its_reason()
    {
        var policy = new FaultInjectionPolicy((m, _) => FaultInjectionPolicy.IsTableBatch(m) ? Fault.BadRequest : null);
        var h = PipelineHarness.On(await FaultInjectionPolicy.StorageAsync(policy));
        policy.Enabled = false;
        await h.Intake.ReceiveAsync(Echo(EchoText("wamid.q/3", "15551234567", 1_700_000_000, "refused")), default);
        var message = await TakeOneAsync(h.Storage.Queue(h.Storage.Names.EchoesQueue));
        policy.Enabled = true;

        await new ProcessMessageEchoes(h.Consumer).Run(message, default); // no exception: the host would not retry it

        policy.Enabled = false;
        var poisoned = await TakeOneAsync(h.Storage.Queue(StorageNames.PoisonQueueOf(h.Storage.Names.EchoesQueue)));
        Assert.Equal(message.Body.ToString(), poisoned.Body.ToString());
        var row = Assert.Single(await EndToEnd.HistoryPipelineTests.QuarantineRowsAsync(h));
        Assert.Equal(PhoneNumberId, row.PartitionKey);
        Assert.Equal("storage refused a write: RequestFailedException status 400", row.GetString("Reason"));
    }

    /// <summary>Issue 18, finding 5: a value inline must fit a Storage queue message (64 KiB after Base64, 48 KiB of text).</summary>
    [Fact]
    public void The_threshold_is_bounded_by_what_a_Storage_queue_message_holds()
    {
        const string error = "Intake:ClaimCheckThresholdBytes must be at most 49152 with Storage queues";
        Assert.Contains(error, TestServices.SettingsError(("Intake:ClaimCheckThresholdBytes", "49153")));
        Assert.Contains(error, TestServices.SettingsError(("Intake:ClaimCheckThresholdBytes", "200000")));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Intake:ClaimCheckThresholdBytes"] = "49152" })
            .Build();
        using var services = new ServiceCollection()
            .AddCoexistence(configuration, _ => StorageClients.FromConnectionString(Azurite.ConnectionString))
            .AddStorageQueueTransport()
            .BuildServiceProvider();
        services.GetRequiredService<IStartupValidator>().Validate();
    }
}
