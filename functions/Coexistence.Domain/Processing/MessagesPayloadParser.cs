using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// Reads a <c>messages</c> change value (Meta's ordinary field, sent to the same callback URL):
/// <list type="bullet">
/// <item><c>messages[]</c>: what the customer sent, of every type, into the chat of its sender (<c>from</c> in digits);
/// (or <c>from_user_id</c>, a person known only by business-scoped user id; <c>contacts[]</c> completes the identity);
/// the customer's own <c>edit</c>s, <c>revoke</c>s and <c>reaction</c>s become facts about their target, as the
/// business's do in echoes;
/// <c>system</c> messages (a number or user id changed) are recorded in the chat, their <c>body</c> as the text;</item>
/// <item><c>statuses[]</c>: <c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c> (with the first of its <c>errors</c>)
/// of messages the business sent.</item>
/// </list>
/// A value-level <c>errors</c> array (the platform's) is only archived. One bad item is quarantined; the rest is kept.
/// </summary>
internal static class MessagesPayloadParser
{
    public static MessagesPayload Parse(JsonElement value, string businessNumber)
    {
        var messages = new List<ChatMessage>();
        var facts = new List<MessageFact>();
        var statuses = new List<MessageStatus>();
        var quarantined = new List<QuarantinedItem>();
        var changes = new List<IdentityChange>();
        var links = new List<IdentityLink>();

        var block = PayloadParsing.ContactsBlock(value);
        if (value.TryGetProperty("messages", JsonValueKind.Array, out var items))
        {
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                var pointer = $"/messages/{index++}";
                if (!PayloadParsing.TryReadCommon(item, out var id, out _, out var timestamp, out var type, out var reason, businessNumber,
                        fromOptional: true))
                {
                    quarantined.Add(PayloadParsing.Quarantine(item, pointer, reason!));
                    continue;
                }
                // The sender: "from" (digits), or for a person known only by business-scoped user id "from_user_id".
                if (!PayloadParsing.TryReadIdentity(item, "from", "from_user_id", "from_parent_user_id", null, block, out var customer, out reason))
                {
                    quarantined.Add(PayloadParsing.Quarantine(item, pointer, reason!));
                    continue;
                }
                if (customer is null) { quarantined.Add(PayloadParsing.Quarantine(item, pointer, "\"from\" is missing")); continue; }
                var from = customer.ChatId;
                if (PayloadParsing.IsFact(type))
                {
                    if (PayloadParsing.ReadFact(item, id, timestamp, type, Direction.Inbound, out var factProblem) is { } fact) facts.Add(fact);
                    else quarantined.Add(PayloadParsing.Quarantine(item, pointer, factProblem!));
                    continue;
                }
                var content = PayloadParsing.Content(item, type);
                if (PayloadParsing.ContentProblem(content, type) is { } contentProblem)
                {
                    quarantined.Add(PayloadParsing.Quarantine(item, pointer, contentProblem));
                    continue;
                }
                if (type == SystemType && !TryReadChange(content, customer, timestamp, changes, links, out reason))
                {
                    quarantined.Add(PayloadParsing.Quarantine(item, pointer, reason!));
                    continue;
                }
                var text = type == SystemType && content.ValueKind == JsonValueKind.Object
                    ? PayloadParsing.Truncate(content.GetString("body"))
                    : PayloadParsing.TextBodyOf(content, type);
                messages.Add(new ChatMessage(id, from, Direction.Inbound, from, businessNumber, timestamp, type, null, MessageSource.Messages,
                    text, PayloadParsing.MediaOf(content, type), PayloadParsing.ContentJsonOf(content, type),
                    customer.UserId, customer.ParentUserId, customer.Username,
                    Context: PayloadParsing.ReadContext(item), ErrorsJson: PayloadParsing.ErrorsJson(item)));
            }
        }

        if (value.TryGetProperty("statuses", JsonValueKind.Array, out var statusItems))
        {
            var index = 0;
            foreach (var item in statusItems.EnumerateArray())
            {
                var pointer = $"/statuses/{index++}";
                if (TryReadStatus(item, block, out var status, out var reason)) statuses.Add(status!);
                else quarantined.Add(PayloadParsing.Quarantine(item, pointer, reason!));
            }
        }
        return new MessagesPayload(messages, facts, statuses, quarantined, changes, links);
    }

    public const string SystemType = "system";
    public const string NumberChanged = "user_changed_number", UserIdChanged = "user_changed_user_id";

    /// <summary>
    /// The identity change a <c>system</c> message states, if any (other system messages state none):
    /// <list type="bullet">
    /// <item><c>user_changed_number</c>: the sender (<c>from</c>, the old phone, or its user id) became the phone in
    /// <c>system.wa_id</c> (older payloads: <c>new_wa_id</c>); <c>system.user_id</c>, when sent, is the new phone's
    /// user id and <c>system.previous_user_id</c> the old phone's (links);</item>
    /// <item><c>user_changed_user_id</c>: <c>system.previous_user_id</c> became <c>system.user_id</c> (either falls back to
    /// the sender's user id); no phone.</item>
    /// </list>
    /// False, with the reason, when the ids it needs are missing or malformed.
    /// </summary>
    private static bool TryReadChange(JsonElement system, CustomerIdentity sender, long timestamp, List<IdentityChange> changes,
        List<IdentityLink> links, out string? reason)
    {
        reason = null;
        if (system.ValueKind != JsonValueKind.Object) return true;
        var systemType = system.GetString("type");
        if (systemType is not (NumberChanged or UserIdChanged)) return true;
        if (!PayloadParsing.TryReadUserId(system, "user_id", "system.", out var userId, out reason)
            || !PayloadParsing.TryReadUserId(system, "previous_user_id", "system.", out var previousUserId, out reason))
            return false;
        if (systemType == NumberChanged)
        {
            var field = system.TryGetProperty("wa_id", out _) ? "wa_id" : "new_wa_id";
            if (system.GetStringOrNumber(field) is not { Length: > 0 } raw) { reason = "\"system.wa_id\" is missing"; return false; }
            if (!PhoneNumbers.TryNormalize(raw, out var newPhone)) { reason = $"\"system.{field}\" is not a phone number"; return false; }
            if (newPhone != sender.ChatId) changes.Add(new IdentityChange(sender.ChatId, newPhone, timestamp));
            if (userId is not null) links.Add(new IdentityLink(userId, newPhone));
            if (previousUserId is not null && sender.Phone is { } oldPhone) links.Add(new IdentityLink(previousUserId, oldPhone));
            return true;
        }
        var from = previousUserId ?? sender.UserId;
        var to = userId ?? sender.UserId;
        if (from is null) { reason = "\"system.previous_user_id\" is missing"; return false; }
        if (to is null) { reason = "\"system.user_id\" is missing"; return false; }
        if (from != to) changes.Add(new IdentityChange(from, to, timestamp));
        return true;
    }

    private static bool TryReadStatus(JsonElement item, IReadOnlyList<CustomerIdentity> block, out MessageStatus? status, out string? reason)
    {
        status = null;
        reason = null;
        if (item.ValueKind != JsonValueKind.Object) { reason = "the status is not a JSON object"; return false; }
        if (PayloadParsing.ReadId(item.TryGetProperty("id", out var rawId) ? rawId : default, out reason) is not { } id) return false;
        var name = PayloadParsing.NormalizeStatus(item.GetString("status"))?.ToLowerInvariant();
        if (name is null) { reason = "\"status\" is missing"; return false; }
        if (!PayloadParsing.TryReadTimestamp(item.TryGetProperty("timestamp", out var rawTime) ? rawTime : default, out var timestamp, out reason))
            return false;
        // The recipient: "recipient_id" (digits, omittable), "recipient_user_id"; the contacts[] block completes them.
        if (!PayloadParsing.TryReadIdentity(item, "recipient_id", "recipient_user_id", "recipient_parent_user_id", null, block, out var recipient,
                out reason))
            return false;
        var error = item.TryGetProperty("errors", JsonValueKind.Array, out var errors) ? PayloadParsing.FirstError(errors) : null;
        status = new MessageStatus(id, name, timestamp, recipient?.Phone, error, recipient?.UserId);
        return true;
    }
}
