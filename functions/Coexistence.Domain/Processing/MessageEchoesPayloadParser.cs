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

            switch (type)
            {
                case "revoke":
                    var revokedId = echo.TryGetProperty("revoke", JsonValueKind.Object, out var revoke) ? revoke.GetString("original_message_id") : null;
                    if (string.IsNullOrEmpty(revokedId)) quarantined.Add(PayloadParsing.Quarantine(echo, pointer, "\"revoke.original_message_id\" is missing"));
                    else if (PayloadParsing.IdProblem(revokedId, "revoke.original_message_id") is { } revokedProblem)
                        quarantined.Add(PayloadParsing.Quarantine(echo, pointer, revokedProblem));
                    else facts.Add(new MessageRevoke(revokedId, id, timestamp));
                    break;
                case "edit":
                    if (!echo.TryGetProperty("edit", JsonValueKind.Object, out var edit) || string.IsNullOrEmpty(edit.GetString("original_message_id")))
                    {
                        quarantined.Add(PayloadParsing.Quarantine(echo, pointer, "\"edit.original_message_id\" is missing"));
                        break;
                    }
                    if (PayloadParsing.IdProblem(edit.GetString("original_message_id")!, "edit.original_message_id") is { } editedProblem)
                    {
                        quarantined.Add(PayloadParsing.Quarantine(echo, pointer, editedProblem));
                        break;
                    }
                    if (!edit.TryGetProperty("message", JsonValueKind.Object, out var edited) || edited.GetString("type") is not { Length: > 0 } editedType)
                    {
                        quarantined.Add(PayloadParsing.Quarantine(echo, pointer, "\"edit.message.type\" is missing"));
                        break;
                    }
                    facts.Add(new MessageEdit(edit.GetString("original_message_id")!, id, timestamp, PayloadParsing.Short(editedType),
                        PayloadParsing.TextBody(edited, editedType), PayloadParsing.Media(edited, editedType)?.Caption));
                    break;
                default:
                    messages.Add(new ChatMessage(id, chatId, Direction.Outbound, from, chatId, timestamp, type, null, MessageSource.Echo,
                        PayloadParsing.TextBody(echo, type), PayloadParsing.Media(echo, type), PayloadParsing.ContentJson(echo, type)));
                    break;
            }
        }
        return new MessageEchoesPayload(messages, facts, quarantined);
    }
}
