using System.Security.Cryptography;
using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>The door against real storage: what is kept for accepted bodies, and that rejected ones leave nothing.</summary>
public class DoorTests
{
    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"smb_message_echoes","value":{"metadata":{"display_phone_number":"1555","phone_number_id":"../123"},"message_echoes":[]}}]}]}""")]
    [InlineData("""{"id":"e","event":"history","data":{"metadata":{"display_phone_number":"1555","phone_number_id":"1065"}}}""")]
    public async Task A_rejected_body_leaves_no_blob_no_queue_message_and_no_row(string body)
    {
        var h = await PipelineHarness.CreateAsync();
        var result = await h.Intake.ReceiveAsync(Encoding.UTF8.GetBytes(body), default);

        Assert.Equal(IntakeOutcome.Rejected, result.Outcome);
        Assert.Equal(0, await CountBlobsAsync(h.Storage));
        Assert.Equal(0, await CountQueueMessagesAsync(h.Storage));
        Assert.Empty(await h.Drainer.DrainAsync(default));
        Assert.Equal(0, await TableDump.CountRowsAsync(h.Storage));
    }

    [Fact]
    public async Task An_accepted_body_is_archived_byte_for_byte_by_number_and_day()
    {
        var h = await PipelineHarness.CreateAsync();
        var body = Echo(EchoText("wamid.a/1", "15551234567", 1_700_000_000, "archived"));

        var result = await h.Intake.ReceiveAsync(body, default);

        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        Assert.Equal(sha, result.WebhookId);
        var archived = await h.Archive.ReadAsync($"{PhoneNumberId}/2026/11/25/{sha}.json", default);
        Assert.Equal(body, archived.ToArray());
    }

    [Fact]
    public async Task Every_change_of_a_batched_Meta_body_is_queued_to_its_kind_and_unhandled_fields_are_only_archived()
    {
        var h = await PipelineHarness.CreateAsync();
        var body = Encoding.UTF8.GetBytes("""
        {"object":"whatsapp_business_account","entry":[
          {"id":"W1","changes":[
            {"field":"smb_message_echoes","value":{"metadata":{"display_phone_number":"15550783881","phone_number_id":"111"},"message_echoes":[]}},
            {"field":"messages","value":{"metadata":{"display_phone_number":"15550783881","phone_number_id":"111"},"messages":[]}},
            {"field":"smb_app_state_sync","value":{"metadata":{"display_phone_number":"15550783881","phone_number_id":"111"},"state_sync":[]}}]},
          {"id":"W2","changes":[
            {"field":"history","value":{"metadata":{"display_phone_number":"15550783999","phone_number_id":"222"},"history":[]}},
            {"field":"account_update","value":{"phone_number":"15550783999","event":"VERIFIED_ACCOUNT"}},
            {"field":"phone_number_quality_update","value":{"display_phone_number":"15550783999","event":"FLAGGED"}}]}]}
        """);

        var result = await h.Intake.ReceiveAsync(body, default);

        Assert.Equal(IntakeOutcome.Accepted, result.Outcome);
        Assert.Equal([("smb_message_echoes", "111", true), ("messages", "111", true), ("smb_app_state_sync", "111", true), ("history", "222", true),
                ("account_update", null, true), ("phone_number_quality_update", null, false)],
            result.Changes.Select(c => (c.Field, c.PhoneNumberId, c.Queued)));
        Assert.Equal([("smb_message_echoes", "111", 0)], await PeekAsync(h.Storage, h.Storage.Names.EchoesQueue));
        Assert.Equal([("smb_app_state_sync", "111", 2)], await PeekAsync(h.Storage, h.Storage.Names.ContactsQueue));
        Assert.Equal([("history", "222", 3)], await PeekAsync(h.Storage, h.Storage.Names.HistoryQueue));
        Assert.Equal([("messages", "111", 1)], await PeekAsync(h.Storage, h.Storage.Names.MessagesQueue));
        Assert.Equal([("account_update", null, 4)], await PeekAsync(h.Storage, h.Storage.Names.AccountUpdatesQueue));

        var blobs = new List<string>();
        await foreach (var blob in h.Storage.Container(h.Storage.Names.RawArchiveContainer).GetBlobsAsync()) blobs.Add(blob.Name.Split('/')[0]);
        Assert.Equal(["111", "222", "unrouted"], blobs.Order());
    }

    [Fact]
    public async Task The_same_body_delivered_twice_is_archived_once_and_processed_to_the_same_rows()
    {
        var h = await PipelineHarness.CreateAsync();
        var body = Echo(EchoText("wamid.twice/1", "15551234567", 1_700_000_000, "twice"));
        await h.DeliverAsync(body);
        var once = await TableDump.DumpAsync(h.Storage);
        await h.DeliverAsync(body);

        Assert.Equal(once, await TableDump.DumpAsync(h.Storage));
        Assert.Equal(1, await CountBlobsAsync(h.Storage));
    }

    private static async Task<List<(string Kind, string? PhoneNumberId, int ChangeIndex)>> PeekAsync(StorageClients storage, string queue) =>
        (await QueuedChanges.PeekAsync(storage, queue))
            .Select(m => (Coexistence.Webhooks.WebhookKinds.ToField(m.Kind), m.PhoneNumberId, m.ChangeIndex)).ToList();

    internal static async Task<int> CountBlobsAsync(StorageClients storage)
    {
        var count = 0;
        foreach (var container in storage.Names.Containers)
            await foreach (var _ in storage.Container(container).GetBlobsAsync()) count++;
        return count;
    }

    internal static async Task<int> CountQueueMessagesAsync(StorageClients storage)
    {
        var count = 0;
        foreach (var queue in storage.Names.Queues)
            count += (await storage.Queue(queue).PeekMessagesAsync(32)).Value.Length;
        return count;
    }
}
