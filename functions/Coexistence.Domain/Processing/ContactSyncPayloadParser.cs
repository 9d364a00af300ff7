using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// Reads a <c>smb_app_state_sync</c> change value. <c>add</c> means added or edited; <c>remove</c>
/// omits names. A missing or zero timestamp (seen on removes) counts as the time the webhook was received.
/// </summary>
internal static class ContactSyncPayloadParser
{
    public static ContactSyncPayload Parse(JsonElement value, DateTimeOffset receivedAt)
    {
        var actions = new List<ContactAction>();
        var quarantined = new List<QuarantinedItem>();
        if (!value.TryGetProperty("state_sync", JsonValueKind.Array, out var items))
            return new ContactSyncPayload(actions, quarantined);

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var pointer = $"/state_sync/{index++}";
            if (item.ValueKind != JsonValueKind.Object)
            {
                quarantined.Add(PayloadParsing.Quarantine(item, pointer, "the item is not a JSON object"));
                continue;
            }
            var type = item.GetString("type");
            if (type != "contact")
            {
                quarantined.Add(PayloadParsing.Quarantine(item, pointer, $"unsupported state_sync type {PayloadParsing.Quoted(type)}"));
                continue;
            }
            if (!item.TryGetProperty("contact", JsonValueKind.Object, out var contact))
            {
                quarantined.Add(PayloadParsing.Quarantine(item, pointer, "\"contact\" is missing"));
                continue;
            }
            // The person: "phone_number" (omittable for a person known only by business-scoped user id), "user_id", ...
            if (!PayloadParsing.TryReadIdentity(contact, "phone_number", "user_id", "parent_user_id", PayloadParsing.Short(contact.GetString("username")), [],
                    out var person, out var identityProblem, fieldPrefix: "contact."))
            {
                quarantined.Add(PayloadParsing.Quarantine(item, pointer, identityProblem!));
                continue;
            }
            if (person is null) { quarantined.Add(PayloadParsing.Quarantine(item, pointer, "\"contact.phone_number\" is missing")); continue; }
            var number = person.ChatId;

            var action = item.GetString("action")?.Trim().ToLowerInvariant();
            if (action is not ("add" or "remove"))
            {
                quarantined.Add(PayloadParsing.Quarantine(item, pointer, $"unsupported action {PayloadParsing.Quoted(action)}"));
                continue;
            }

            long timestamp = 0;
            if (item.TryGetProperty("metadata", JsonValueKind.Object, out var metadata) && metadata.Has("timestamp")
                && (!metadata.TryGetInt64("timestamp", out timestamp) || timestamp < 0))
            {
                quarantined.Add(PayloadParsing.Quarantine(item, pointer, "\"metadata.timestamp\" is not a non-negative unix time"));
                continue;
            }
            if (timestamp == 0) timestamp = receivedAt.ToUnixTimeSeconds();

            actions.Add(action == "remove"
                ? new ContactAction(number, IsRemove: true, timestamp, null, null, person.UserId, person.ParentUserId, person.Username)
                : new ContactAction(number, IsRemove: false, timestamp,
                    PayloadParsing.Truncate(contact.GetString("full_name")), PayloadParsing.Truncate(contact.GetString("first_name")),
                    person.UserId, person.ParentUserId, person.Username));
        }
        return new ContactSyncPayload(actions, quarantined);
    }
}
