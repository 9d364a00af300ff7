using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// Reads a <c>smb_message_echoes</c> change value: messages the business sent from the app, and its
/// <c>edit</c>s, <c>revoke</c>s and <c>reaction</c>s to earlier messages. The chat is the customer: <c>to</c> in digits, or
/// <c>to_user_id</c> for a person known only by business-scoped user id; the top-level <c>contacts[]</c> block completes it.
/// </summary>
internal static class MessageEchoesPayloadParser
{
    public static MessageEchoesPayload Parse(JsonElement value)
    {
        var messages = new List<ChatMessage>();
        var facts = new List<MessageFact>();
        var quarantined = new List<QuarantinedItem>();
        if (!value.TryGetProperty("message_echoes", JsonValueKind.Array, out var echoes))
            return new MessageEchoesPayload(messages, facts, quarantined);

        var block = PayloadParsing.ContactsBlock(value);
        var index = 0;
        foreach (var echo in echoes.EnumerateArray())
        {
            var pointer = $"/message_echoes/{index++}";
            if (!PayloadParsing.TryReadCommon(echo, out var id, out var from, out var timestamp, out var type, out var reason))
            {
                quarantined.Add(PayloadParsing.Quarantine(echo, pointer, reason!));
                continue;
            }
            // The customer: "to" (digits), or for a person known only by business-scoped user id "to_user_id".
            if (!PayloadParsing.TryReadIdentity(echo, "to", "to_user_id", "to_parent_user_id", null, block, out var customer, out var identityProblem))
            {
                quarantined.Add(PayloadParsing.Quarantine(echo, pointer, identityProblem!));
                continue;
            }
            if (customer is null) { quarantined.Add(PayloadParsing.Quarantine(echo, pointer, "\"to\" is missing")); continue; }
            var chatId = customer.ChatId;

            if (PayloadParsing.IsFact(type))
            {
                if (PayloadParsing.ReadFact(echo, id, timestamp, type, Direction.Outbound, out var factProblem) is { } fact) facts.Add(fact);
                else quarantined.Add(PayloadParsing.Quarantine(echo, pointer, factProblem!));
                continue;
            }
            if (PayloadParsing.ContentProblem(PayloadParsing.Content(echo, type), type) is { } contentProblem)
            {
                quarantined.Add(PayloadParsing.Quarantine(echo, pointer, contentProblem));
                continue;
            }
            messages.Add(new ChatMessage(id, chatId, Direction.Outbound, from, chatId, timestamp, type, null, MessageSource.Echo,
                PayloadParsing.TextBody(echo, type), PayloadParsing.Media(echo, type), PayloadParsing.ContentJson(echo, type),
                customer.UserId, customer.ParentUserId, customer.Username,
                Context: PayloadParsing.ReadContext(echo), ErrorsJson: PayloadParsing.ErrorsJson(echo)));
        }
        return new MessageEchoesPayload(messages, facts, quarantined);
    }
}
