using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// Reads a <c>smb_message_echoes</c> change value: messages the business sent from the app, and its
/// <c>edit</c>s and <c>revoke</c>s of earlier messages. The chat is the customer, <c>to</c> in digits.
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

        var index = 0;
        foreach (var echo in echoes.EnumerateArray())
        {
            var pointer = $"/message_echoes/{index++}";
            if (!PayloadParsing.TryReadCommon(echo, out var id, out var from, out var timestamp, out var type, out var reason))
            {
                quarantined.Add(PayloadParsing.Quarantine(echo, pointer, reason!));
                continue;
            }
            var rawTo = echo.GetStringOrNumber("to");
            if (rawTo is null) { quarantined.Add(PayloadParsing.Quarantine(echo, pointer, "\"to\" is missing")); continue; }
            if (!PhoneNumbers.TryNormalize(rawTo, out var chatId))
            {
                quarantined.Add(PayloadParsing.Quarantine(echo, pointer, "\"to\" is not a phone number"));
                continue;
            }

            if (PayloadParsing.IsEditOrRevoke(type))
            {
                if (PayloadParsing.ReadEditOrRevoke(echo, id, timestamp, type, out var factProblem) is { } fact) facts.Add(fact);
                else quarantined.Add(PayloadParsing.Quarantine(echo, pointer, factProblem!));
                continue;
            }
            messages.Add(new ChatMessage(id, chatId, Direction.Outbound, from, chatId, timestamp, type, null, MessageSource.Echo,
                PayloadParsing.TextBody(echo, type), PayloadParsing.Media(echo, type), PayloadParsing.ContentJson(echo, type)));
        }
        return new MessageEchoesPayload(messages, facts, quarantined);
    }
}
