using System.Reflection;
using Azure.Data.Tables;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Storage;

/// <summary>
/// Each table's layout is owned by its schema class (docs/data-model.md): the entities written whole name their
/// columns through it, and what a writer puts in a row is what the schema reads back, through real Table Storage.
/// </summary>
public class TableSchemaTests
{
    private const string Number = "106540352242922";

    private static readonly string[] EntityKeys = [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey), nameof(ITableEntity.Timestamp),
        nameof(ITableEntity.ETag)];

    private static HashSet<string> ColumnsOf(Type schema) =>
    [
        .. schema.GetNestedType("Columns", BindingFlags.Public | BindingFlags.NonPublic)!
            .GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!),
    ];

    [Theory]
    [InlineData(typeof(ChatRowEntity))]
    [InlineData(typeof(MessageIndexEntity))]
    [InlineData(typeof(ChatSummaryEntity))]
    public void Every_column_an_entity_writes_is_a_column_of_the_Messages_schema(Type entity)
    {
        var columns = ColumnsOf(typeof(MessagesTable));
        var media = MessagesTable.Columns.MediaOf(MessagesTable.Columns.Media);
        columns.UnionWith([media.Id, media.MimeType, media.Sha256, media.Caption]);

        var written = entity.GetProperties().Select(p => p.Name).Except(EntityKeys).ToList();

        Assert.NotEmpty(written);
        Assert.All(written, name => Assert.Contains(name, columns));
    }

    [Fact]
    public async Task A_chat_row_reads_back_as_the_message_it_was_written_from_with_each_fact_applied()
    {
        var h = await PipelineHarness.CreateAsync();
        var table = h.Storage.Table(h.Storage.Names.MessagesTable);
        var message = new ChatMessage("wamid.schema/1+=", "4915100000001", Direction.Outbound, WebhookBuilder.BusinessDigits, "4915100000001",
            1_700_000_000, "media_placeholder", "READ", MessageSource.Echo, null, new MediaInfo("m1", "image/jpeg", "abc=", "a caption"), null);
        var rowKey = MessagesTable.ChatRowKey(message.ChatId, message.Timestamp, message.Id);
        await table.AddEntityAsync(new ChatRowEntity(Number, rowKey, message));

        var stored = MessagesTable.ReadChatRow((await table.GetEntityAsync<TableEntity>(Number, rowKey)).Value);

        Assert.Equal(new StoredMessage(message.Id, message.ChatId, Direction.Outbound, message.From, message.To, message.Timestamp, message.Type,
            MessageSource.Echo, "READ", null, message.Media, null, null, null, null), stored);

        MessageFact[] facts =
        [
            new MediaFollowUp(message.Id, "image", new MediaInfo("m2", "image/png", "def=", null)),
            new MessageEdit(message.Id, "wamid.edit/1", 1_700_000_100, "image", null, "new caption"),
            new MessageRevoke(message.Id, "wamid.revoke/1", 1_700_000_200),
        ];
        foreach (var fact in facts)
        {
            var row = (await table.GetEntityAsync<TableEntity>(Number, rowKey)).Value;
            await table.UpdateEntityAsync(MessagesTable.FactPatch(row, fact)!, row.ETag, TableUpdateMode.Merge);
        }

        var withFacts = MessagesTable.ReadChatRow((await table.GetEntityAsync<TableEntity>(Number, rowKey)).Value);
        Assert.Equal(facts[0], withFacts.FollowUp);
        // An edit is stored with every column written (empty for none), so the text it did not carry reads as "".
        Assert.Equal((MessageEdit)facts[1] with { Text = "" }, withFacts.Edit);
        Assert.Equal(facts[2], withFacts.Revoke);
        Assert.Equal(stored with { FollowUp = withFacts.FollowUp, Edit = withFacts.Edit, Revoke = withFacts.Revoke }, withFacts);
    }

    [Fact]
    public async Task A_pending_fact_reads_back_as_the_fact_it_was_written_from()
    {
        var h = await PipelineHarness.CreateAsync();
        var table = h.Storage.Table(h.Storage.Names.MessagesTable);
        MessageFact[] facts =
        [
            new MediaFollowUp("wamid.p/1", "video", new MediaInfo("m3", "video/mp4", null, "clip")),
            new MessageEdit("wamid.p/1", "wamid.p/edit|1", 1_700_000_300, "text", "fixed", null),
            new MessageRevoke("wamid.p/1", "wamid.p/revoke", 1_700_000_400),
        ];

        foreach (var fact in facts) await table.AddEntityAsync(MessagesTable.PendingRow(Number, fact));

        var read = new List<MessageFact>();
        await foreach (var row in table.QueryAsync<TableEntity>(MessagesTable.PendingRowsFilter(Number))) read.Add(MessagesTable.ReadPendingRow(row)!);
        Assert.Equal(facts.OrderBy(f => MessagesTable.PendingRowKey(f), StringComparer.Ordinal), read);
    }

    [Fact]
    public async Task A_contact_row_reads_back_as_the_action_it_was_written_from()
    {
        var h = await PipelineHarness.CreateAsync();
        var table = h.Storage.Table(h.Storage.Names.ContactsTable);
        ContactAction[] actions = [new("4915100000001", false, 1_700_000_000, "Ada Lovelace", "Ada"), new("4915100000002", true, 1_700_000_001, null, null)];

        foreach (var action in actions) await table.AddEntityAsync(ContactsTable.ToRow(Number, action));

        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableFilters.Partition(Number))) rows.Add(row);
        Assert.Equal(actions, rows.Select(ContactsTable.ReadAction));
        Assert.Equal([false, true], rows.Select(ContactsTable.IsRemoved));
        Assert.Equal(1_700_000_001, rows[1].GetInt64(ContactsTable.Columns.RemovedAt));
    }
}
