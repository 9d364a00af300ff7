using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// Reads a <c>history</c> change value: chunks (<c>history[]</c> with threads of messages), a decline
/// (<c>history[].errors</c>, or <c>errors</c> of the value itself), or media follow-ups (<c>messages[]</c> for media the
/// customer sent, <c>message_echoes[]</c> for media the business sent: the real type of a placeholder). A thread's
/// <c>reaction</c> items are reactions to their target, not messages.
/// One bad item is quarantined; the rest of the change is kept.
/// </summary>
internal static class HistoryPayloadParser
{
    public static HistoryPayload Parse(JsonElement value, string businessNumber, string chunkKeySeed)
    {
        var chunks = new List<(HistoryChunk, IReadOnlyList<ChatMessage>)>();
        var declines = new List<HistoryDecline>();
        var followUps = new List<MediaFollowUp>();
        var reactions = new List<MessageReaction>();
        var quarantined = new List<QuarantinedItem>();

        if (value.TryGetProperty("history", JsonValueKind.Array, out var history))
        {
            var index = 0;
            foreach (var item in history.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                    quarantined.Add(PayloadParsing.Quarantine(item, $"/history/{index}", "the history item is not a JSON object"));
                else if (item.TryGetProperty("errors", JsonValueKind.Array, out var errors))
                    declines.Add(ReadDecline(errors));
                else
                    chunks.Add(ReadChunk(item, index, businessNumber, $"{chunkKeySeed}-{index}", quarantined, reactions));
                index++;
            }
        }

        // Media follow-ups: for media the customer sent in "messages", for media the business sent in "message_echoes"
        // (Meta's documented shape, with a "contacts" block beside it); a value may carry both.
        foreach (var array in FollowUpArrays)
        {
            if (!value.TryGetProperty(array, JsonValueKind.Array, out var messages)) continue;
            var index = 0;
            foreach (var message in messages.EnumerateArray())
            {
                var pointer = $"/{array}/{index++}";
                if (TryReadFollowUp(message, out var fact, out var reason)) followUps.Add(fact!);
                else quarantined.Add(PayloadParsing.Quarantine(message, pointer, reason!));
            }
        }

        // A decline can also come as errors of the value itself, beside an empty chunk.
        if (value.TryGetProperty("errors", JsonValueKind.Array, out var valueErrors) && valueErrors.GetArrayLength() > 0)
            declines.Add(ReadDecline(valueErrors));

        return new HistoryPayload(chunks, declines, followUps, quarantined, reactions);
    }

    private static readonly string[] FollowUpArrays = ["messages", "message_echoes"];

    private static HistoryDecline ReadDecline(JsonElement errors) =>
        PayloadParsing.FirstError(errors) is { } error
            ? new HistoryDecline(error.Code, error.Title, error.Message, error.Details)
            : new HistoryDecline(null, null, null, null);

    private static (HistoryChunk, IReadOnlyList<ChatMessage>) ReadChunk(JsonElement item, int itemIndex, string businessNumber, string fallbackKey,
        List<QuarantinedItem> quarantined, List<MessageReaction> reactions)
    {
        // Message pointers are only built for messages that are quarantined (one string per message adds up).
        long? phase = null, chunkOrder = null, progress = null;
        if (item.TryGetProperty("metadata", JsonValueKind.Object, out var metadata))
        {
            if (metadata.TryGetInt64("phase", out var p)) phase = p;
            if (metadata.TryGetInt64("chunk_order", out var o)) chunkOrder = o;
            if (metadata.TryGetInt64("progress", out var g)) progress = Math.Clamp(g, 0, 100);
        }

        var chats = new HashSet<string>();
        var hasThreads = item.TryGetProperty("threads", JsonValueKind.Array, out var threads);
        // Sized up front: a chunk can hold thousands of messages (no list regrown a dozen times).
        var messages = new List<ChatMessage>(hasThreads ? CountMessages(threads) : 0);
        if (hasThreads)
        {
            var threadIndex = -1;
            foreach (var thread in threads.EnumerateArray())
            {
                threadIndex++;
                var threadPointer = $"/history/{itemIndex}/threads/{threadIndex}";
                if (thread.ValueKind != JsonValueKind.Object)
                {
                    quarantined.Add(PayloadParsing.Quarantine(thread, threadPointer, "the thread is not a JSON object"));
                    continue;
                }
                if (!TryReadThreadCustomer(thread, out var customer, out var threadProblem) || customer is null)
                {
                    quarantined.Add(PayloadParsing.Quarantine(thread, threadPointer, threadProblem ?? "the thread \"id\" is missing"));
                    continue;
                }
                var chatId = customer.ChatId;
                if (!thread.TryGetProperty("messages", JsonValueKind.Array, out var threadMessages)) continue;
                var messageIndex = -1;
                var before = messages.Count;
                foreach (var message in threadMessages.EnumerateArray())
                {
                    messageIndex++;
                    if (TryReadMessage(message, chatId, customer, businessNumber, out var parsed, out var reaction, out var reason))
                    {
                        if (parsed is not null) messages.Add(parsed);
                        else if (!TryPutOnItsTarget(reaction!, messages, before)) reactions.Add(reaction!);
                    }
                    else quarantined.Add(PayloadParsing.Quarantine(message, $"{threadPointer}/messages/{messageIndex}", reason!));
                }
                if (messages.Count > before) chats.Add(chatId);
            }
        }

        // Chunks are identified by phase and order; without them, by where they came from.
        var chunkKey = phase is { } ph && chunkOrder is { } co ? $"{ph:D2}|{co:D10}" : "x|" + ShortHash(fallbackKey);
        return (new HistoryChunk(chunkKey, phase, chunkOrder, progress, messages.Count, chats.Count), messages);
    }

    /// <summary>
    /// A reaction to a message of its own thread goes onto it, so that its row is written with it (no fact, no extra
    /// round trip); searched from the latest message back (a reaction follows what it reacts to). One to a message
    /// elsewhere is a fact, applied wherever that message is.
    /// </summary>
    private static bool TryPutOnItsTarget(MessageReaction reaction, List<ChatMessage> messages, int threadStart)
    {
        for (var i = messages.Count - 1; i >= threadStart; i--)
            if (messages[i].Id == reaction.MessageId)
            {
                messages[i] = messages[i].WithReaction(reaction);
                return true;
            }
        return false;
    }

    private static int CountMessages(JsonElement threads)
    {
        var count = 0;
        foreach (var thread in threads.EnumerateArray())
            if (thread.TryGetProperty("messages", JsonValueKind.Array, out var messages)) count += messages.GetArrayLength();
        return count;
    }

    /// <summary>
    /// The customer of a thread: its <c>id</c> (the phone, omittable) and <c>context</c> (<c>wa_id</c>, <c>user_id</c>,
    /// <c>parent_user_id</c>, <c>username</c>); a person known only by business-scoped user id has no phone. As
    /// <see cref="PayloadParsing.TryReadIdentity"/>: false with the reason when malformed, a null customer when it names nobody.
    /// </summary>
    private static bool TryReadThreadCustomer(JsonElement thread, out CustomerIdentity? customer, out string? reason)
    {
        customer = null;
        if (thread.TryGetProperty("context", JsonValueKind.Object, out var context)
            && !PayloadParsing.TryReadIdentity(context, "wa_id", "user_id", "parent_user_id", PayloadParsing.Short(context.GetString("username")), [],
                out customer, out var contextProblem, fieldPrefix: "context."))
        {
            reason = "the thread " + contextProblem;
            return false;
        }
        reason = null;
        var rawId = thread.GetStringOrNumber("id");
        if (string.IsNullOrEmpty(rawId)) return true;
        if (!PhoneNumbers.TryNormalize(rawId, out var phone)) { reason = "the thread \"id\" is not a phone number"; return false; }
        customer = new CustomerIdentity(phone, null, null, null).Enrich(customer);
        return true;
    }

    /// <summary>A message of a thread, or (a <c>reaction</c> item) a reaction to one.</summary>
    private static bool TryReadMessage(JsonElement message, string chatId, CustomerIdentity customer, string businessNumber, out ChatMessage? parsed,
        out MessageReaction? reaction, out string? reason)
    {
        parsed = null;
        reaction = null;
        if (message.ValueKind != JsonValueKind.Object) { reason = "the message is not a JSON object"; return false; }
        var members = PayloadParsing.MessageMembers.Of(message);
        if (!PayloadParsing.TryReadCommon(members, out var id, out var from, out var timestamp, out var type, out reason, businessNumber, chatId,
                fromOptional: true))
            return false;
        if (from.Length == 0)
        {
            // A customer known only by business-scoped user id sends without "from": "from_user_id", "from_parent_user_id".
            if (!PayloadParsing.TryReadIdentity(message, "from", "from_user_id", "from_parent_user_id", null, [], out var sender, out reason)) return false;
            if (sender is null) { reason = "\"from\" is missing"; return false; }
            // In a thread named by phone, the sender is that phone (as a merged copy would read: ChatMessage.NamingItsChat).
            from = CustomerIdentity.IsPhoneId(chatId) ? chatId : sender.ChatId;
            customer = customer.Enrich(sender);
        }

        if (!PayloadParsing.TryReadTo(members, chatId, businessNumber, out var to)) { reason = "\"to\" is not a phone number"; return false; }

        string? status = null;
        var fromMe = false;
        if (members.HistoryContext.ValueKind == JsonValueKind.Object)
        {
            status = PayloadParsing.ReadStatus(members.HistoryContext);
            fromMe = members.HistoryContext.GetBoolean("from_me") ?? false;
        }
        var direction = fromMe || from == businessNumber ? Direction.Outbound : Direction.Inbound;
        to ??= direction == Direction.Outbound ? chatId : businessNumber;
        if (type == PayloadParsing.ReactionType)
        {
            reaction = PayloadParsing.ReadReaction(message, id, timestamp, direction, out reason);
            return reaction is not null;
        }

        // The content is the member named after the type ("errors" items: the errors array).
        var content = PayloadParsing.Content(message, type);
        if ((reason = PayloadParsing.ContentProblem(content, type)) is not null) return false;
        parsed = new ChatMessage(id, chatId, direction, from, to, timestamp, type, status, MessageSource.History,
            PayloadParsing.TextBodyOf(content, type), PayloadParsing.MediaOf(content, type), PayloadParsing.ContentJsonOf(content, type),
            customer.UserId, customer.ParentUserId, customer.Username,
            Context: PayloadParsing.ReadContext(members.Context, members.Referral), ErrorsJson: PayloadParsing.ErrorsJsonOf(members.Errors));
        return true;
    }

    private static bool TryReadFollowUp(JsonElement message, out MediaFollowUp? fact, out string? reason)
    {
        fact = null;
        reason = null;
        if (message.ValueKind != JsonValueKind.Object) { reason = "the message is not a JSON object"; return false; }
        var id = message.GetString("id");
        if (string.IsNullOrEmpty(id)) { reason = "\"id\" is missing"; return false; }
        if (PayloadParsing.IdProblem(id, "id") is { } idProblem) { reason = idProblem; return false; }
        var type = message.GetString("type");
        if (string.IsNullOrEmpty(type)) { reason = "\"type\" is missing"; return false; }
        var media = PayloadParsing.Media(message, type);
        if (media is null)
        {
            reason = $"a media follow-up must carry a media object of type image, video, audio, document or sticker (got {PayloadParsing.Quoted(type)})";
            return false;
        }
        fact = new MediaFollowUp(id, type, media);
        return true;
    }

    private static string ShortHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
