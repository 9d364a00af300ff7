using System.Text.Json;
using Coexistence.Tests.Support;
using CsCheck;

namespace Coexistence.Tests.Reliability;

/// <summary>
/// A generated webhook stream of one business (history chunks with placeholders and follow-ups,
/// contact adds, edits and removes, echoes with edits and revokes, the customer's own messages with their edits and
/// revokes, quoted replies and forwards, reactions of either side, statuses of the business's messages and of messages
/// never stored, changes of a customer's number or user id), the bodies a provider would post,
/// and what a simple reference model says the tables must then show.
/// </summary>
internal sealed record BusinessStream(IReadOnlyList<BusinessStream.Event> Events)
{
    public const string PhoneNumberId = WebhookBuilder.PhoneNumberId;
    public const string Business = WebhookBuilder.BusinessDigits;
    /// <summary>Pat has a phone and a business-scoped user id; items name Pat by either or both.</summary>
    private const string PatPhone = "5215512345678", PatUserId = "MX.5550001112223334445", PatBoth = PatPhone + "|" + PatUserId;
    /// <summary>Sam may change number (a <c>user_changed_number</c> system message); Uma, known only by user id, may change user id.</summary>
    private const string SamOld = "61412345678", SamNew = "61498765432", UmaOld = "BR.77711122233", UmaNew = "BR.88811122233";

    /// <summary>
    /// Four customers known by phone, one known only by business-scoped user id (no phone in any item), Pat, named
    /// by phone only, by user id only, or by both (a link: from then on, and before, Pat is one chat and one contact),
    /// Sam by the old or the new number and Uma by the old or the new user id (a change: one chat, the new id's).
    /// </summary>
    private static readonly string[] Customers =
        ["15551234567", "447700900123", "4915123456789", "5511987654321", "US.13491208655302741918", PatPhone, PatUserId, PatBoth,
         SamOld, SamNew, UmaOld, UmaNew];

    private static bool IsPhone(string customer) => char.IsAsciiDigit(customer[0]);

    /// <summary>How an item names a customer: the phone field, the user id field (a person without a phone), or both.</summary>
    private static Dictionary<string, object> Naming(string customer, string phoneField, string userIdField, bool plus = false)
    {
        if (customer.Split('|') is [var phone, var userId]) return new() { [phoneField] = plus ? "+" + phone : phone, [userIdField] = userId };
        return IsPhone(customer) ? new() { [phoneField] = plus ? "+" + customer : customer } : new() { [userIdField] = customer };
    }

    private static Dictionary<string, object> With(Dictionary<string, object> item, Dictionary<string, object> more)
    {
        foreach (var (k, v) in more) item[k] = v;
        return item;
    }

    public abstract record Event;
    public sealed record HistoryMessage(string Id, string Chat, bool Outbound, long Timestamp, string? Text, bool Placeholder, string Status);
    public sealed record Chunk(int Phase, int Order, int Progress, IReadOnlyList<HistoryMessage> Messages) : Event;
    public sealed record FollowUp(string Id, string Type, string MediaId, long Timestamp) : Event;
    public sealed record ContactEvent(string Number, bool Remove, long Timestamp, string Name) : Event;
    public sealed record EchoText(string Id, string Chat, long Timestamp, string Text) : Event;
    public sealed record EchoEdit(string Id, string Chat, long Timestamp, string Original, string Text) : Event;
    public sealed record EchoRevoke(string Id, string Chat, long Timestamp, string Original) : Event;
    public sealed record Declined : Event;
    /// <summary>The customer's text, perhaps quoting another message (<see cref="ReplyTo"/>) or forwarded.</summary>
    public sealed record InboundText(string Id, string Chat, long Timestamp, string Text, string? ReplyTo = null, bool Forwarded = false) : Event;
    /// <summary>A reaction of the customer (on <c>messages</c>) or the business (an echo) to <see cref="Target"/>; an empty emoji removes it.</summary>
    public sealed record ReactionEvent(string Id, string Target, string Chat, bool ByCustomer, long Timestamp, string Emoji) : Event;
    public sealed record CustomerEdit(string Id, string Chat, long Timestamp, string Original, string Text) : Event;
    public sealed record CustomerRevoke(string Id, string Chat, long Timestamp, string Original) : Event;
    /// <summary>A status of <see cref="MessageId"/> (an echo, a history message the business sent, or one never stored).</summary>
    public sealed record StatusEvent(string MessageId, string Chat, string Status, long Timestamp) : Event;
    /// <summary>Sam's <c>user_changed_number</c> (old to new phone) or Uma's <c>user_changed_user_id</c>, a system message of its own.</summary>
    public sealed record IdentityChanged(string Id, bool Number, long Timestamp) : Event;
    /// <summary>An <c>account_update</c> of the business's WABA (it names no phone_number_id), naming its display number or not.</summary>
    public sealed record LifecycleEvent(string? Name, string? Reason, string? InitiatedBy, bool NamesNumber, long Time) : Event;

    public static Gen<BusinessStream> Gen { get; } =
        CsCheck.Gen.Select(CsCheck.Gen.Int[1, 4], CsCheck.Gen.Int[0, 3], CsCheck.Gen.Int[0, 6], CsCheck.Gen.Int[0, 4], CsCheck.Gen.Bool, CsCheck.Gen.Int[0, 1_000_000])
            .Select((chunks, contacts, echoes, edits, declined, seed) => Build(chunks, contacts, echoes, edits, declined && chunks == 1, new Random(seed)));

    /// <summary>A stream drawn from <paramref name="rng"/> (for harnesses outside CsCheck, e.g. the soak run).</summary>
    public static BusinessStream Random(Random rng) =>
        Build(rng.Next(1, 5), rng.Next(0, 4), rng.Next(0, 7), rng.Next(0, 5), false, new Random(rng.Next()));

    private static BusinessStream Build(int chunkCount, int contactCount, int echoCount, int editCount, bool declined, Random rng)
    {
        var events = new List<Event>();
        var historyIds = new List<(string Id, string Chat)>();
        var n = 0;
        if (declined) events.Add(new Declined());
        else
            for (var c = 0; c < chunkCount; c++)
            {
                var messages = new List<HistoryMessage>();
                for (var m = rng.Next(1, 6); m > 0; m--)
                {
                    var chat = Customers[rng.Next(Customers.Length)];
                    var id = $"wamid.H{n++}/{rng.Next(100)}+=";
                    var placeholder = rng.Next(4) == 0;
                    messages.Add(new HistoryMessage(id, chat, rng.Next(2) == 0, 1_600_000_000 + rng.Next(10_000), placeholder ? null : $"text {id}", placeholder,
                        rng.Next(2) == 0 ? "read" : "DELIVERED"));
                    historyIds.Add((id, chat));
                    if (placeholder && rng.Next(3) > 0) events.Add(new FollowUp(id, rng.Next(2) == 0 ? "image" : "document", $"media-{id}", 1_600_100_000 + rng.Next(100)));
                }
                events.Add(new Chunk(c switch { 0 => 0, 1 => 1, _ => 2 }, c + 1, c == chunkCount - 1 ? 100 : (c + 1) * 100 / (chunkCount + 1), messages));
            }

        for (var i = 0; i < contactCount * 2; i++)
        {
            var number = Customers[rng.Next(Customers.Length)];
            var remove = rng.Next(3) == 0;
            // "0" on some removes: counts as the time of receipt (the harness's fixed clock).
            events.Add(new ContactEvent(number, remove, remove && rng.Next(3) == 0 ? 0 : 1_700_000_000 + rng.Next(5) * 100, $"Name{rng.Next(3)}"));
        }

        var echoIds = new List<(string Id, string Chat)>();
        // The same message as a history item and as an echo: the echo's time (the webhook's) is later than the device's.
        foreach (var m in events.OfType<Chunk>().SelectMany(c => c.Messages).Where(m => m.Outbound && !m.Placeholder).ToList())
            if (rng.Next(3) == 0)
            {
                events.Add(new EchoText(m.Id, m.Chat, m.Timestamp + 60 + rng.Next(600), m.Text!));
                echoIds.Add((m.Id, m.Chat));
            }
        for (var i = 0; i < echoCount; i++)
        {
            var chat = Customers[rng.Next(Customers.Length)];
            var id = $"wamid.E{n++}=";
            events.Add(new EchoText(id, chat, 1_700_000_000 + i * 60, $"echo {id}"));
            echoIds.Add((id, chat));
        }
        for (var i = 0; i < editCount && echoIds.Count > 0; i++)
        {
            var (original, chat) = echoIds[rng.Next(echoIds.Count)];
            events.Add(new EchoEdit($"wamid.X{n++}", chat, 1_700_001_000 + rng.Next(50) * 10 + i, original, $"edited {i}"));
        }
        // The customer's own messages on the "messages" field, some edited or revoked by the customer.
        var inboundIds = new List<(string Id, string Chat)>();
        for (var i = rng.Next(0, 4); i > 0; i--)
        {
            var chat = Customers[rng.Next(Customers.Length)];
            var id = $"wamid.I{n++}/=";
            // Some quote a message of history or an echo (the quoted one need not be in this chat, or stored at all).
            var quoted = rng.Next(3) == 0 && historyIds.Count + echoIds.Count > 0
                ? historyIds.Concat(echoIds).ElementAt(rng.Next(historyIds.Count + echoIds.Count)).Id
                : null;
            events.Add(new InboundText(id, chat, 1_700_003_000 + rng.Next(100) * 30, $"inbound {id}", quoted, Forwarded: rng.Next(4) == 0));
            inboundIds.Add((id, chat));
        }
        foreach (var (original, chat) in inboundIds.Where(_ => rng.Next(3) == 0).ToList())
            events.Add(rng.Next(2) == 0
                ? new CustomerEdit($"wamid.CE{n++}", chat, 1_700_004_000 + rng.Next(10), original, $"customer edited {original}")
                : new CustomerRevoke($"wamid.CR{n++}", chat, 1_700_004_500, original));

        // Statuses of the business's messages (echoes, history messages it sent) and of messages sent through the API
        // that the store never sees; out of order, sometimes the same status at two times.
        var outbound = echoIds.Concat(events.OfType<Chunk>().SelectMany(c => c.Messages).Where(m => m.Outbound).Select(m => (m.Id, m.Chat))).Distinct().ToList();
        for (var i = rng.Next(0, 3); i > 0; i--) outbound.Add(($"wamid.API{n++}=", Customers[rng.Next(Customers.Length)]));
        string[] names = ["sent", "delivered", "read", "failed"];
        for (var i = rng.Next(0, 7); i > 0 && outbound.Count > 0; i--)
        {
            var (id, chat) = outbound[rng.Next(outbound.Count)];
            events.Add(new StatusEvent(id, chat, names[rng.Next(names.Length)], 1_700_005_000 + rng.Next(20)));
        }

        // Reactions of either side to any message (or one never stored), some replaced or removed later, some at the same second.
        var reactable = historyIds.Concat(echoIds).Concat(inboundIds).ToList();
        string[] emojis = ["👍", "❤️", ""];
        for (var i = rng.Next(0, 5); i > 0 && reactable.Count > 0; i--)
        {
            var (target, chat) = rng.Next(6) == 0 ? ($"wamid.NS{n++}=", reactable[0].Chat) : reactable[rng.Next(reactable.Count)];
            events.Add(new ReactionEvent($"wamid.RE{n++}", target, chat, rng.Next(2) == 0, 1_700_007_000 + rng.Next(4) * 10, emojis[rng.Next(emojis.Length)]));
        }

        // Sam's number and Uma's user id change, or not.
        if (rng.Next(2) == 0) events.Add(new IdentityChanged($"wamid.SN{n++}=", Number: true, 1_700_006_000 + rng.Next(100)));
        if (rng.Next(2) == 0) events.Add(new IdentityChanged($"wamid.SU{n++}=", Number: false, 1_700_006_000 + rng.Next(100)));

        var revocable = historyIds.Concat(echoIds).ToList();
        if (revocable.Count > 0 && rng.Next(2) == 0)
        {
            var (original, chat) = revocable[rng.Next(revocable.Count)];
            events.Add(new EchoRevoke($"wamid.R{n++}", chat, 1_700_002_000, original));
        }

        // The number's lifecycle: removed (for a reason, by someone), offboarded, reconnected, or a name nobody documented.
        string?[][] lifecycle =
        [
            ["PARTNER_REMOVED", "PRIMARY_INACTIVITY", "SYSTEM"], ["PARTNER_REMOVED", "ACCOUNT_DISCONNECTED", "USER"], ["ACCOUNT_OFFBOARDED", null, null],
            ["ACCOUNT_RECONNECTED", null, null], ["PARTNER_APP_UNINSTALLED", null, null], ["A_PROVIDERS_OWN_EVENT", null, null], [null, null, null],
        ];
        for (var i = rng.Next(3); i > 0; i--)
        {
            var l = lifecycle[rng.Next(lifecycle.Length)];
            events.Add(new LifecycleEvent(l[0], l[1], l[2], rng.Next(2) == 0, 1_739_000_000 + rng.Next(5) * 60));
        }
        return new BusinessStream(events);
    }

    /// <summary>Customers an erasure test may erase: those named by one id only, never linked or changed (Pat, Sam and Uma are not).</summary>
    public static readonly string[] ErasableCustomers = Customers[..5];

    /// <summary>
    /// The stream as if <paramref name="customer"/> had never written: their events gone, their messages out of the chunks (a
    /// chunk left empty is still a chunk). What the views show after that customer's erasure and any redeliveries.
    /// </summary>
    public BusinessStream Without(string customer) => new([.. Events.Where(e => e switch
        {
            EchoText t => t.Chat != customer,
            EchoEdit x => x.Chat != customer,
            EchoRevoke r => r.Chat != customer,
            InboundText t => t.Chat != customer,
            ReactionEvent r => r.Chat != customer,
            CustomerEdit x => x.Chat != customer,
            CustomerRevoke r => r.Chat != customer,
            StatusEvent st => st.Chat != customer,
            ContactEvent c => c.Number != customer,
            _ => true,
        }).Select(e => e is Chunk c ? c with { Messages = [.. c.Messages.Where(m => m.Chat != customer)] } : e)]);

    /// <summary>The webhook body for an event; <paramref name="meta"/> picks the Meta envelope over the partner one.</summary>
    public static byte[] Body(Event e, bool meta)
    {
        string kind, items;
        switch (e)
        {
            case Chunk chunk:
                kind = "history";
                var threads = chunk.Messages.GroupBy(m => m.Chat).Select(g => With(
                    g.Key == PatBoth ? new() { ["id"] = PatPhone, ["context"] = new { user_id = PatUserId } }
                    : IsPhone(g.Key) ? new() { ["id"] = g.Key } : new() { ["context"] = new { user_id = g.Key } },
                    new()
                    {
                        ["messages"] = g.Select(m => With(
                            m.Outbound ? new() { ["from"] = Business } : Naming(m.Chat == PatBoth ? PatPhone : m.Chat, "from", "from_user_id"),
                            m.Placeholder
                                ? new() { ["id"] = m.Id, ["timestamp"] = m.Timestamp.ToString(), ["type"] = "media_placeholder", ["history_context"] = new { status = m.Status } }
                                : new() { ["id"] = m.Id, ["timestamp"] = m.Timestamp.ToString(), ["type"] = "text", ["text"] = new { body = m.Text }, ["history_context"] = new { status = m.Status } })),
                    }));
                items = "\"history\":" + JsonSerializer.Serialize(new[] { new { metadata = new { phase = chunk.Phase.ToString(), chunk_order = chunk.Order, progress = chunk.Progress }, threads } });
                break;
            case Declined:
                kind = "history";
                items = """ "history":[{"errors":[{"code":2593109,"title":"off","message":"History sync is turned off","error_data":{"details":"off"}}]}] """;
                break;
            case FollowUp f:
                kind = "history";
                items = "\"messages\":" + JsonSerializer.Serialize(new[] { new Dictionary<string, object> { ["from"] = "15550000000", ["id"] = f.Id, ["timestamp"] = f.Timestamp.ToString(), ["type"] = f.Type, [f.Type] = new { id = f.MediaId, mime_type = "application/octet-stream", sha256 = "00", caption = "c" } } });
                break;
            case ContactEvent c:
                kind = "smb_app_state_sync";
                items = "\"state_sync\":" + JsonSerializer.Serialize(new[] { c.Remove
                    ? (object)new { type = "contact", contact = Naming(c.Number, "phone_number", "user_id"), action = "remove", metadata = new { timestamp = c.Timestamp.ToString() } }
                    : new { type = "contact", contact = With(new() { ["full_name"] = c.Name + " Full", ["first_name"] = c.Name }, Naming(c.Number, "phone_number", "user_id")), action = "add", metadata = new { timestamp = c.Timestamp } } });
                break;
            case EchoText t:
                kind = "smb_message_echoes";
                items = "\"message_echoes\":" + JsonSerializer.Serialize(new[] { With(Naming(t.Chat, "to", "to_user_id", plus: true), new() { ["from"] = Business, ["id"] = t.Id, ["timestamp"] = t.Timestamp.ToString(), ["type"] = "text", ["text"] = new { body = t.Text } }) });
                break;
            case EchoEdit x:
                kind = "smb_message_echoes";
                items = "\"message_echoes\":" + JsonSerializer.Serialize(new[] { With(Naming(x.Chat, "to", "to_user_id"), new() { ["from"] = Business, ["id"] = x.Id, ["timestamp"] = x.Timestamp.ToString(), ["type"] = "edit", ["edit"] = new { original_message_id = x.Original, message = new { type = "text", text = new { body = x.Text } } } }) });
                break;
            case EchoRevoke r:
                kind = "smb_message_echoes";
                items = "\"message_echoes\":" + JsonSerializer.Serialize(new[] { With(Naming(r.Chat, "to", "to_user_id"), new() { ["from"] = Business, ["id"] = r.Id, ["timestamp"] = r.Timestamp.ToString(), ["type"] = "revoke", ["revoke"] = new { original_message_id = r.Original } }) });
                break;
            case InboundText t:
                kind = "messages";
                var inbound = With(Naming(t.Chat, "from", "from_user_id"), new() { ["id"] = t.Id, ["timestamp"] = t.Timestamp.ToString(), ["type"] = "text", ["text"] = new { body = t.Text } });
                if (t.ReplyTo is not null || t.Forwarded)
                    inbound["context"] = t.ReplyTo is not null ? new Dictionary<string, object> { ["from"] = Business, ["id"] = t.ReplyTo } : new Dictionary<string, object> { ["forwarded"] = true };
                items = "\"contacts\":" + JsonSerializer.Serialize(new[] { With(new() { ["profile"] = new { name = "Customer" } }, Naming(t.Chat, "wa_id", "user_id")) })
                    + ",\"messages\":" + JsonSerializer.Serialize(new[] { inbound });
                break;
            case ReactionEvent r when r.ByCustomer:
                kind = "messages";
                items = "\"messages\":" + JsonSerializer.Serialize(new[] { With(Naming(r.Chat, "from", "from_user_id"), new() { ["id"] = r.Id, ["timestamp"] = r.Timestamp.ToString(), ["type"] = "reaction", ["reaction"] = new { message_id = r.Target, emoji = r.Emoji } }) });
                break;
            case ReactionEvent r:
                kind = "smb_message_echoes";
                items = "\"message_echoes\":" + JsonSerializer.Serialize(new[] { With(Naming(r.Chat, "to", "to_user_id"), new() { ["from"] = Business, ["id"] = r.Id, ["timestamp"] = r.Timestamp.ToString(), ["type"] = "reaction", ["reaction"] = new { message_id = r.Target, emoji = r.Emoji } }) });
                break;
            case CustomerEdit x:
                kind = "messages";
                items = "\"messages\":" + JsonSerializer.Serialize(new[] { With(Naming(x.Chat, "from", "from_user_id"), new() { ["id"] = x.Id, ["timestamp"] = x.Timestamp.ToString(), ["type"] = "edit", ["edit"] = new { original_message_id = x.Original, message = new { type = "text", text = new { body = x.Text } } } }) });
                break;
            case CustomerRevoke r:
                kind = "messages";
                items = "\"messages\":" + JsonSerializer.Serialize(new[] { With(Naming(r.Chat, "from", "from_user_id"), new() { ["id"] = r.Id, ["timestamp"] = r.Timestamp.ToString(), ["type"] = "revoke", ["revoke"] = new { original_message_id = r.Original } }) });
                break;
            case StatusEvent s:
                kind = "messages";
                var status = With(Naming(s.Chat, "recipient_id", "recipient_user_id"), new() { ["id"] = s.MessageId, ["status"] = s.Status, ["timestamp"] = s.Timestamp.ToString() });
                if (s.Status == "failed")
                    status["errors"] = new[] { new { code = 131026, title = "Message undeliverable", message = "Message undeliverable", error_data = new { details = "Message Undeliverable." } } };
                items = "\"statuses\":" + JsonSerializer.Serialize(new[] { status });
                break;
            case IdentityChanged { Number: true } c:
                kind = "messages";
                items = "\"messages\":" + JsonSerializer.Serialize(new[] { new { from = SamOld, id = c.Id, timestamp = c.Timestamp.ToString(), type = "system",
                    system = new { body = SystemBody(c), wa_id = SamNew, type = "user_changed_number" } } });
                break;
            case IdentityChanged c:
                kind = "messages";
                items = "\"messages\":" + JsonSerializer.Serialize(new[] { new { from_user_id = UmaOld, id = c.Id, timestamp = c.Timestamp.ToString(), type = "system",
                    system = new { body = SystemBody(c), user_id = UmaNew, previous_user_id = UmaOld, type = "user_changed_user_id" } } });
                break;
            case LifecycleEvent l:
                // Meta's shape: no metadata, the WABA as the entry's id, the event's time as the entry's (meta is ignored:
                // account_update comes in Meta's envelope only).
                var value = new Dictionary<string, object?> { ["event"] = l.Name };
                if (l.NamesNumber) value["phone_number"] = Business;
                if (l.Reason is not null) value["disconnection_info"] = new { reason = l.Reason, initiated_by = l.InitiatedBy };
                return System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
                {
                    @object = "whatsapp_business_account",
                    entry = new[] { new { id = WebhookBuilder.WabaId, time = l.Time, changes = new[] { new { field = "account_update", value } } } },
                }));
            default:
                throw new ArgumentOutOfRangeException(nameof(e));
        }
        return meta ? WebhookBuilder.Meta(kind, items) : WebhookBuilder.Partner(kind, items);
    }

    private static string SystemBody(IdentityChanged c) => c.Number ? $"User Sam changed from {SamOld} to {SamNew}" : "User Uma changed their user id";

    /// <summary>The reference model: what the views must show after every event was delivered at least once, in any order.</summary>
    public Expected Expect(DateTimeOffset receivedAt)
    {
        // Pat is linked when a message or a contact action names both (facts and statuses link nobody).
        var linked = Events.OfType<Chunk>().SelectMany(c => c.Messages).Any(m => m.Chat == PatBoth)
                     || Events.OfType<EchoText>().Any(t => t.Chat == PatBoth) || Events.OfType<InboundText>().Any(t => t.Chat == PatBoth)
                     || Events.OfType<ContactEvent>().Any(c => c.Number == PatBoth);
        string Final(string customer) => customer == PatBoth || (customer == PatUserId && linked) ? PatPhone : customer;
        // The chat a customer's messages end in: a change of number or user id moves the old id's chat to the new id
        // (contacts stay: they are the business's address book).
        var numberChanged = Events.OfType<IdentityChanged>().Any(c => c.Number);
        var userIdChanged = Events.OfType<IdentityChanged>().Any(c => !c.Number);
        string ChatOf(string customer) => Final(customer) switch
        {
            SamOld when numberChanged => SamNew,
            UmaOld when userIdChanged => UmaNew,
            var named => named,
        };
        string? UserIdOf(string customer) => customer == PatBoth || customer == PatUserId ? PatUserId : IsPhone(customer) ? null : customer;
        var messages = new Dictionary<string, MessageView>();
        foreach (var chunk in Events.OfType<Chunk>())
            foreach (var m in chunk.Messages)
                messages[m.Id] = new MessageView(m.Id, ChatOf(m.Chat), m.Outbound ? "outbound" : "inbound", m.Outbound ? Business : Final(m.Chat), m.Outbound ? Final(m.Chat) : Business,
                    m.Timestamp, m.Placeholder ? "media_placeholder" : "text", m.Status.ToUpperInvariant(), "history", m.Text, null, false, false);
        // One row per wamid: a message seen in history and as an echo shows the earlier time, the echo's content (the
        // same text here) and history's status.
        foreach (var t in Events.OfType<EchoText>())
            messages[t.Id] = messages.TryGetValue(t.Id, out var fromHistory)
                ? fromHistory with { Source = "echo", Timestamp = Math.Min(fromHistory.Timestamp, t.Timestamp) }
                : new MessageView(t.Id, ChatOf(t.Chat), "outbound", Business, Final(t.Chat), t.Timestamp, "text", null, "echo", t.Text, null, false, false);
        foreach (var t in Events.OfType<InboundText>())
            messages[t.Id] = new MessageView(t.Id, ChatOf(t.Chat), "inbound", Final(t.Chat), Business, t.Timestamp, "text", null, "messages", t.Text, null, false, false,
                ReplyTo: t.ReplyTo is null ? null : new ReplyToView(t.ReplyTo, Business), Forwarded: t.Forwarded && t.ReplyTo is null);
        // The system message of a change is the customer's, in their (new) chat, its body as the text.
        foreach (var c in Events.OfType<IdentityChanged>())
        {
            var sender = c.Number ? SamOld : UmaOld;
            messages[c.Id] = new MessageView(c.Id, ChatOf(sender), "inbound", sender, Business, c.Timestamp, "system", null, "messages", SystemBody(c), null, false, false,
                Content: c.Number
                    ? new SystemView("user_changed_number", SystemBody(c), SamNew, null, null)
                    : new SystemView("user_changed_user_id", SystemBody(c), null, UmaNew, UmaOld));
        }
        foreach (var f in Events.OfType<FollowUp>())
            if (messages.TryGetValue(f.Id, out var m)) messages[f.Id] = m with { Type = f.Type, Media = new MediaView(f.MediaId, "application/octet-stream", "00", "c") };
        // The business's edits (echoes) and the customer's (messages) are the same fact: the latest wins.
        var edits = Events.OfType<EchoEdit>().Select(x => (x.Id, x.Timestamp, x.Original, x.Text))
            .Concat(Events.OfType<CustomerEdit>().Select(x => (x.Id, x.Timestamp, x.Original, x.Text)));
        foreach (var group in edits.GroupBy(x => x.Original))
            if (messages.TryGetValue(group.Key, out var m))
            {
                var latest = group.OrderBy(x => x.Timestamp).ThenBy(x => x.Id, StringComparer.Ordinal).Last();
                messages[group.Key] = m with { Text = latest.Text, Edited = true };
            }
        foreach (var original in Events.OfType<EchoRevoke>().Select(r => r.Original).Concat(Events.OfType<CustomerRevoke>().Select(r => r.Original)))
            if (messages.TryGetValue(original, out var m)) messages[original] = m with { Revoked = true };

        // Reactions: per message and side, the latest by time, then by the reaction's id; an empty emoji is none.
        foreach (var target in Events.OfType<ReactionEvent>().GroupBy(r => r.Target))
        {
            if (!messages.TryGetValue(target.Key, out var m)) continue;
            ReactionView? Current(bool byCustomer) => target.Where(r => r.ByCustomer == byCustomer).OrderBy(r => r.Timestamp)
                .ThenBy(r => r.Id, StringComparer.Ordinal).LastOrDefault() is { Emoji.Length: > 0 } r ? new ReactionView(r.Emoji, r.Timestamp) : null;
            var (customer, business) = (Current(true), Current(false));
            if (customer is not null || business is not null) messages[target.Key] = m with { Reactions = new ReactionsView(customer, business) };
        }

        // Statuses: a set per wamid; the current one is the highest of sent < delivered < read < failed, its earliest time.
        var deliveries = new Dictionary<string, DeliveryView>();
        foreach (var group in Events.OfType<StatusEvent>().DistinctBy(s => (s.MessageId, s.Status, s.Timestamp)).GroupBy(s => s.MessageId))
        {
            static int Rank(string s) => Array.IndexOf(["sent", "delivered", "read", "failed"], s);
            static ErrorView? Error(StatusEvent s) =>
                s.Status == "failed" ? new ErrorView(131026, "Message undeliverable", "Message undeliverable", "Message Undeliverable.") : null;
            var current = group.OrderByDescending(s => Rank(s.Status)).ThenBy(s => s.Timestamp).First();
            deliveries[group.Key] = new DeliveryView(current.Status, current.Timestamp, Error(current),
                group.OrderBy(s => s.Timestamp).ThenBy(s => Rank(s.Status)).Select(s => new StatusView(s.Status, s.Timestamp, Error(s))).ToList());
        }
        foreach (var (id, delivery) in deliveries)
            if (messages.TryGetValue(id, out var m) && m.Direction == "outbound") messages[id] = m with { Delivery = delivery };

        // One contact per person (Pat's actions under the phone once linked); the latest action wins, then names, then the user id.
        var contacts = Events.OfType<ContactEvent>()
            .Select(c => (Key: Final(c.Number), UserId: UserIdOf(c.Number), Action: c with { Timestamp = c.Timestamp == 0 ? receivedAt.ToUnixTimeSeconds() : c.Timestamp }))
            .GroupBy(c => c.Key)
            .Select(g => g.OrderBy(c => c.Action.Timestamp).ThenBy(c => c.Action.Remove)
                .ThenBy(c => c.Action.Remove ? null : c.Action.Name + " Full", StringComparer.Ordinal)
                .ThenBy(c => c.Action.Remove ? null : c.Action.Name, StringComparer.Ordinal).ThenBy(c => c.UserId, StringComparer.Ordinal).Last())
            .Where(c => !c.Action.Remove)
            .Select(c => new ContactView(IsPhone(c.Key) ? c.Key : null, c.Action.Name + " Full", c.Action.Name, c.UserId))
            .OrderBy(c => c.PhoneNumber ?? c.UserId, StringComparer.Ordinal).ToList();

        var chunks = Events.OfType<Chunk>().ToList();
        // Every chunk is delivered at least once: no chunk order is missing, and a sync whose last chunk said 100 is complete.
        // The stream's chunk orders count across the sync (1, 2, ... over phases 0, 1, 2, 2, ...).
        var phases = chunks.GroupBy(c => (long)c.Phase).OrderBy(g => g.Key)
            .Select(g => new HistoryPhaseView(g.Key, g.Count(), g.Min(c => c.Order), g.Max(c => c.Order))).ToList();
        // Placeholders that no follow-up turned into media; a follow-up may still come for those sent within 14 days of the sync.
        var followedUp = Events.OfType<FollowUp>().Select(f => f.Id).ToHashSet();
        var waiting = chunks.SelectMany(c => c.Messages).Where(m => m.Placeholder && !followedUp.Contains(m.Id)).DistinctBy(m => m.Id).ToList();
        var recent = waiting.Count(m => m.Timestamp >= receivedAt.AddDays(-14).ToUnixTimeSeconds());
        var placeholders = new PlaceholdersView(recent, waiting.Count - recent);
        var history = Events.OfType<Declined>().Any()
            ? new HistoryStatusView("declined", 0, 0, new HistoryErrorView(2593109, "History sync is turned off"), [], [], new PlaceholdersView(0, 0))
            : chunks.Count == 0 ? new HistoryStatusView("not_started", 0, 0, null, [], [], new PlaceholdersView(0, 0))
            : new HistoryStatusView(chunks.Max(c => c.Progress) >= 100 ? "completed" : "in_progress", chunks.Max(c => c.Progress), chunks.Count, null,
                phases, [], placeholders);

        // Who each message is with: the chat's phone, and the user id when the message's own items named one.
        var namedAs = Events.OfType<Chunk>().SelectMany(c => c.Messages).Select(m => (m.Id, m.Chat))
            .Concat(Events.OfType<EchoText>().Select(t => (t.Id, t.Chat))).Concat(Events.OfType<InboundText>().Select(t => (t.Id, t.Chat)))
            .Concat(Events.OfType<IdentityChanged>().Select(c => (c.Id, Chat: c.Number ? SamOld : UmaOld)))
            .GroupBy(x => x.Id).ToDictionary(g => g.Key, g => g.First().Chat);
        foreach (var (id, m) in messages.ToList())
            messages[id] = m with { Customer = new CustomerView(IsPhone(m.ChatId) ? m.ChatId : null, UserIdOf(namedAs[id]), null, null) };
        // A chat is with its phone (or user id), and the user id of its latest message (in row order: time, then the
        // key-encoded wamid) that named one.
        var chats = messages.Values.GroupBy(m => m.ChatId)
            .Select(g => (Chat: g.Key, Latest: g.Where(m => m.Customer?.UserId is not null)
                .OrderBy(m => m.Timestamp).ThenBy(m => KeyEncoding.Encode(m.Id), StringComparer.Ordinal).LastOrDefault(), Messages: g))
            .Select(c => new ChatView(c.Chat, c.Messages.Max(m => m.Timestamp), c.Messages.Count(),
                new CustomerView(IsPhone(c.Chat) ? c.Chat : null, c.Latest?.Customer?.UserId ?? (IsPhone(c.Chat) ? null : c.Chat), null, null)))
            .OrderByDescending(c => c.LastMessageAt).ThenBy(c => c.ChatId, StringComparer.Ordinal).ToList();
        var byChat = messages.Values.GroupBy(m => m.ChatId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<MessageView>)g.OrderBy(m => m.Timestamp).ThenBy(m => m.Id, StringComparer.Ordinal).ToList());
        var statuses = deliveries.ToDictionary(d => d.Key, d => (Stored: messages.ContainsKey(d.Key), Delivery: d.Value));
        // Every lifecycle event, once, attributed to the number whichever came first (the number's webhooks or the event).
        var numberEvents = Events.OfType<LifecycleEvent>().Select(l => (l.Name, l.Reason, l.InitiatedBy, l.NamesNumber ? Business : null, l.Time)).Distinct()
            .OrderBy(l => l.Time).ThenBy(l => $"{l.Name}|{l.Reason}|{l.InitiatedBy}|{l.Item4}", StringComparer.Ordinal).ToList();
        return new Expected(chats, byChat, contacts, history, statuses, numberEvents);
    }

    public sealed record Expected(IReadOnlyList<ChatView> Chats, IReadOnlyDictionary<string, IReadOnlyList<MessageView>> Messages,
        IReadOnlyList<ContactView> Contacts, HistoryStatusView History, IReadOnlyDictionary<string, (bool Stored, DeliveryView Delivery)> Statuses,
        IReadOnlyList<(string? Name, string? Reason, string? InitiatedBy, string? Phone, long Time)> NumberEvents);

    public override string ToString() => string.Join("\n", Events.Select(e => e.ToString()));
}
