using System.Text;

namespace Coexistence.Tests.Webhooks;

/// <summary>
/// Random webhook bodies close to real envelopes, for the envelope reader's differential test: both
/// envelopes with members missing, null, of the wrong kind, duplicated, with escaped names, ids as strings
/// or numbers, payloads of random depth (sometimes past 64) with duplicates deep inside, random whitespace,
/// and now and then a broken byte sequence (truncated, trailing content, comments, trailing commas, not UTF-8).
/// Deterministic for a <see cref="Random"/> seed. A calm generator makes such disturbances ten times less often, so
/// that many bodies get through and their changes are compared too.
/// </summary>
internal sealed class RandomEnvelopes(bool calm)
{
    /// <summary>A JSON value under construction: an object's members, an array's items, or a literal's text.</summary>
    private sealed class J
    {
        public List<(string Name, J Value)>? Members;
        public List<J>? Items;
        public string? Text;
    }

    private static J Obj(params (string Name, J Value)[] members) => new() { Members = [.. members] };
    private static J Arr(params J[] items) => new() { Items = [.. items] };
    private static J Lit(string text) => new() { Text = text };

    private static T Pick<T>(Random r, params T[] choices) => choices[r.Next(choices.Length)];

    /// <summary>A disturbance that happens once in <paramref name="oneIn"/> times, or ten times less often in a calm body.</summary>
    private bool Rare(Random r, int oneIn) => r.Next(calm ? oneIn * 10 : oneIn) == 0;

    public byte[] Body(Random r)
    {
        var root = r.Next(20) switch
        {
            0 => Payload(r, 0),
            < 10 => Partner(r),
            _ => Meta(r),
        };
        var sb = new StringBuilder();
        Write(r, root, sb);
        var text = sb.ToString();
        var bytes = Encoding.UTF8.GetBytes(Rare(r, 8) ? Break(r, text) : text);
        // Now and then a byte that is not UTF-8 (the door refuses those first, but the reader must read them as JsonDocument did).
        if (bytes.Length > 0 && Rare(r, 20)) bytes[r.Next(bytes.Length)] = Pick(r, (byte)0xFF, (byte)0xC3, (byte)0x80);
        return bytes;
    }

    private J Partner(Random r) => Disturb(r, Obj(
        ("id", Id(r)),
        ("event", Kind(r)),
        ("data", Rare(r, 15) ? Weird(r) : Value(r, withId: true))));

    private J Meta(Random r)
    {
        var entries = Arr([.. Enumerable.Range(0, Pick(r, 0, 1, 1, 1, 2, 3)).Select(_ => Entry(r))]);
        return Disturb(r, Obj(
            ("object", Rare(r, 12) ? Pick(r, Lit("\"whatsapp_business_accoun\""), Lit("null"), Lit("1"), Lit("\"whatsapp_business_account\\ud800\""))
                                       : Lit(Pick(r, "\"whatsapp_business_account\"", "\"whatsapp_business_acc\\u006funt\""))),
            ("entry", Rare(r, 15) ? Weird(r) : entries)));
    }

    private J Entry(Random r)
    {
        if (Rare(r, 20)) return Weird(r);
        var changes = Arr([.. Enumerable.Range(0, Pick(r, 0, 1, 1, 1, 2, 4)).Select(_ => Change(r))]);
        return Disturb(r, Obj(("id", Id(r)), ("changes", Rare(r, 15) ? Weird(r) : changes)));
    }

    private J Change(Random r) =>
        Rare(r, 25) ? Weird(r) : Disturb(r, Obj(("field", Kind(r)), ("value", Rare(r, 15) ? Weird(r) : Value(r, withId: false))));

    private J Value(Random r, bool withId)
    {
        var members = new List<(string, J)> { ("messaging_product", Lit("\"whatsapp\"")) };
        if (withId) members.Add(("id", Id(r)));
        members.Add(("metadata", Rare(r, 12) ? Weird(r) : Metadata(r)));
        foreach (var array in new[] { "history", "messages", "state_sync", "message_echoes" })
        {
            if (r.Next(4) >= (calm ? 3 : 1)) continue;
            members.Add((array, Rare(r, 8) ? Weird(r) : Arr([.. Enumerable.Range(0, r.Next(3)).Select(_ => Payload(r, 4))])));
        }
        Shuffle(r, members);
        return Disturb(r, new J { Members = members });
    }

    private J Metadata(Random r) => Disturb(r, Obj(
        ("display_phone_number", Lit(Usual(r) ? Pick(r, "\"+1 555-078-3881\"", "\"15550783881\"", "15550783881")
            : Pick(r, "\"+1 (555) 078.3881\"", "\"555 CALL\"", "\"\"", "null", "\"\\u0031\\u0035\\u0035\\u0035\"", "\"\\ud800\"", "1.5",
                "\"" + new string('1', 40) + "\"", "\"+\"", "\"1\u00a0555\""))),
        ("phone_number_id", Lit(Usual(r) ? Pick(r, "\"106540352242922\"", "106540352242922", "\"106540352242999\"")
            : Pick(r, "\"12#3\"", "\"../1\"", "\"\"", "null", "1e5", "-1", "1.0", "\"" + new string('7', 33) + "\"", "\"\\u0031\\u0032\"", "\"1\\ud800\"", "true", "{}")))));

    private J Id(Random r) => Lit(Usual(r) ? Pick(r, "\"102290129340398\"", "102290129340398", "\"e-1\"")
        : Pick(r, "\"\"", "null", "12.5e3", "-0", "true", "[]", "{}", "\"" + new string('9', 256) + "\"", "\"" + new string('9', 257) + "\"",
            new string('9', 257), "\"\\udc00\"", "\"\\u0041\\u0042\""));

    private J Kind(Random r) => Lit(Usual(r) ? Pick(r, "\"history\"", "\"smb_app_state_sync\"", "\"smb_message_echoes\"", "\"messages\"", "\"statuses\"", "\"account_update\"")
        : Pick(r, "\"\"", "null", "1", "\"his\\u0074ory\"", "\"\\ud800\"", "{}", "[]", "\"" + new string('x', 256) + "\"", "\"" + new string('x', 257) + "\""));

    /// <summary>Whether a value is one of the usual, valid ones: most of the time, nearly always in a calm body.</summary>
    private bool Usual(Random r) => r.Next(calm ? 20 : 3) != 0;

    /// <summary>A value of an unexpected kind where the envelope wants an object or array.</summary>
    private J Weird(Random r) => r.Next(4) == 0 ? Arr(Lit("1")) : Lit(Pick(r, "null", "\"x\"", "0", "false", "{}", "[]"));

    /// <summary>Item content: nested objects and arrays with strings, numbers and sometimes duplicates, escapes or great depth.</summary>
    private J Payload(Random r, int depth)
    {
        // Now and then one long chain, to reach both sides of the depth limit of 64.
        var maxDepth = r.Next(30) == 0 ? r.Next(55, 75) : 6;
        return Nest(r, depth, maxDepth);

        J Nest(Random r, int depth, int maxDepth)
        {
            var chain = depth >= 6;
            if (depth >= maxDepth || (!chain && r.Next(4) == 0))
                return Lit(Pick(r, "\"text\"", "\"Grüße 👍\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"a\\nb\\\"c\"", "42", "-1.5e10", "true", "false", "null", "\"\""));
            if (r.Next(2) == 0) return Arr([.. Enumerable.Range(0, chain ? 1 : r.Next(3)).Select(_ => Nest(r, depth + 1, maxDepth))]);
            var names = new[] { "from", "id", "type", "text", "body", "history_context", "status", "a", "é", "x" };
            var count = chain ? 1 : r.Next(20) == 0 ? 20 : r.Next(1, 5);
            return Disturb(r, new J { Members = [.. Enumerable.Range(0, count).Select(i => ($"{Pick(r, names)}{i}", Nest(r, depth + 1, maxDepth)))] });
        }
    }

    /// <summary>Now and then removes a member, nulls it, duplicates one (maybe escaped), adds an unknown one or an unreadable name.</summary>
    private J Disturb(Random r, J obj)
    {
        var members = obj.Members!;
        if (members.Count > 0 && Rare(r, 12)) members.RemoveAt(r.Next(members.Count));
        if (members.Count > 0 && Rare(r, 15)) { var i = r.Next(members.Count); members[i] = (members[i].Name, Lit("null")); }
        if (members.Count > 0 && Rare(r, 25)) members.Insert(r.Next(members.Count + 1), (members[r.Next(members.Count)].Name, Lit("0")));
        if (Rare(r, 10)) members.Insert(r.Next(members.Count + 1), ("extra", Lit("\"x\"")));
        if (Rare(r, 200)) members.Insert(r.Next(members.Count + 1), ("\\ud800", Lit("1")));
        return obj;
    }

    private static void Shuffle<T>(Random r, List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = r.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private void Write(Random r, J value, StringBuilder sb)
    {
        if (value.Text is not null) { sb.Append(value.Text); return; }
        if (value.Items is not null)
        {
            sb.Append('[');
            for (var i = 0; i < value.Items.Count; i++)
            {
                if (i > 0) sb.Append(',');
                Space(r, sb);
                Write(r, value.Items[i], sb);
            }
            sb.Append(']');
            return;
        }
        sb.Append('{');
        for (var i = 0; i < value.Members!.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Space(r, sb);
            sb.Append('"').Append(EscapeSometimes(r, value.Members[i].Name)).Append('"');
            Space(r, sb);
            sb.Append(':');
            Space(r, sb);
            Write(r, value.Members[i].Value, sb);
        }
        Space(r, sb);
        sb.Append('}');
    }

    /// <summary>Writes one character of a name as a \u escape now and then (the name is the same after unescaping).</summary>
    private static string EscapeSometimes(Random r, string name)
    {
        if (name.Length == 0 || name.Contains('\\') || r.Next(25) != 0) return name;
        var i = r.Next(name.Length);
        return $"{name[..i]}\\u{(int)name[i]:x4}{name[(i + 1)..]}";
    }

    private static void Space(Random r, StringBuilder sb)
    {
        if (r.Next(6) == 0) sb.Append(Pick(r, " ", "\n", "\r\n", "\t", "  \n    "));
    }

    private string Break(Random r, string text)
    {
        var at = r.Next(text.Length + 1);
        return r.Next(7) switch
        {
            0 => text[..at],
            1 => text + Pick(r, " x", "{}", "}", "]", ",", " \n null"),
            2 => text[..at] + "/* c */" + text[at..],
            3 => text.Replace("}", ",}").Replace("]]", ",]]"),
            4 => text[..at] + Pick(r, "\"", "{", "[", ":", ",", "\\") + text[at..],
            5 => text.Replace("\"history\"", "\"history\" // c\n"),
            _ => text[..at] + text[Math.Min(text.Length, at + r.Next(1, 8))..],
        };
    }
}
