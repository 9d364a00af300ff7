using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.EndToEnd;

/// <summary>
/// Issue 17, finding 5: an id that is accepted (at most 512 characters) but whose key encoding is long ('/' becomes 3
/// characters) must not poison its change. Before the fix, an echo of 5 good messages and one with 330 '/' was
/// answered 202 and then failed on the batch (400 InvalidInput): none of the 6 stored, the change retried then poisoned.
/// </summary>
public class LongIdTests
{
    private const string Customer = "15551234567";
    private static readonly string LongId = "wamid." + new string('/', 330);

    [Fact]
    public async Task A_message_whose_encoded_id_is_long_is_stored_with_the_rest_and_found_by_its_wamid()
    {
        var h = await PipelineHarness.CreateAsync();
        var echoes = string.Join(",", Enumerable.Range(1, 5).Select(i => EchoText($"wamid.good{i}", Customer, 1_700_000_000 + i, $"good {i}"))
            .Append(EchoText(LongId, Customer, 1_700_000_010, "long id")));
        await h.DeliverAsync(Meta("smb_message_echoes", $$$""" "message_echoes":[{{{echoes}}}] """));
        // Facts and statuses of it too: an edit and a read.
        await h.DeliverAsync(Echo($"{{\"from\":\"{BusinessDigits}\",\"to\":\"{Customer}\",\"id\":\"wamid.edit.long\",\"timestamp\":\"1700000020\",\"type\":\"edit\","
            + $"\"edit\":{{\"original_message_id\":\"{LongId}\",\"message\":{{\"type\":\"text\",\"text\":{{\"body\":\"edited\"}}}}}}}}"));
        await h.DeliverAsync(Meta("messages", $$$""" "statuses":[{"id":"{{{LongId}}}","status":"read","timestamp":"1700000030","recipient_id":"{{{Customer}}}"}] """));

        var messages = await h.Queries.GetMessagesAsync(PhoneNumberId, Customer, default);
        Assert.Equal(6, messages.Count);
        var message = await h.Queries.GetMessageAsync(PhoneNumberId, LongId, default);
        Assert.NotNull(message);
        Assert.Equal((LongId, "edited", true, "read"), (message.Id, message.Text, message.Edited, message.Delivery?.Status));
        Assert.Equal(6L, Assert.Single(await h.Queries.GetChatsAsync(PhoneNumberId, default)).MessageCount);
        Assert.Empty(await HistoryPipelineTests.QuarantineRowsAsync(h));
    }

    [Fact]
    public void A_long_encoded_id_is_held_as_a_hash_that_no_encoded_id_can_be()
    {
        Assert.Equal("wamid.HBgL%2Fabc+def=", KeyEncoding.IdKey("wamid.HBgL/abc+def="));
        var key = KeyEncoding.IdKey(LongId);
        Assert.Equal(66, key.Length);
        Assert.StartsWith(KeyEncoding.HashedPrefix, key);
        Assert.NotEqual(key, KeyEncoding.IdKey(LongId + "/"));
        Assert.Equal(key.Length, KeyEncoding.IdKeyLength(LongId));
        // An id spelled like a hashed key is encoded ('%' escaped), so the two never meet.
        Assert.NotEqual(key, KeyEncoding.IdKey(key));
        // Keys stay short enough for every store: the longest chat row key is well under 512 characters.
        Assert.True(MessagesTable.ChatRowKey("US.ENT." + new string('9', 128), long.MaxValue / 1_000_000, LongId).Length < 300);
    }
}
