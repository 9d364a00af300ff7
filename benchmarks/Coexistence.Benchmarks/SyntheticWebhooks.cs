using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using Coexistence.Tests.Support;

namespace Coexistence.Benchmarks;

/// <summary>
/// Realistic synthetic webhook bodies, deterministic for a seed: history chunks with many chats of
/// uneven size, mixed message types (text of varied length and script, media placeholders, images,
/// documents, audio, reactions, locations), and the small webhooks that arrive alongside them.
/// </summary>
public static class SyntheticWebhooks
{
    public const string PhoneNumberId = WebhookBuilder.PhoneNumberId;
    public const string DisplayNumber = WebhookBuilder.DisplayNumber;
    public const string BusinessDigits = WebhookBuilder.BusinessDigits;
    public const string ProviderSecret = "benchmark-provider-secret";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Words =
    [
        "ok", "thanks", "see", "you", "tomorrow", "order", "delivered", "price", "please", "send", "photo", "invoice",
        "Grüße", "danke", "mañana", "pedido", "obrigado", "entregue", "👍", "🙏", "😂", "مرحبا", "спасибо", "好的",
        "when", "can", "the", "appointment", "be", "moved", "to", "friday", "at", "10",
    ];

    private static readonly string[] Statuses = ["READ", "DELIVERED", "SENT", "PLAYED", "read", "delivered"];

    /// <summary>A partner-envelope history webhook with one chunk of exactly <paramref name="messages"/> messages.</summary>
    public static byte[] HistoryChunk(int messages, int seed = 1, string phoneNumberId = PhoneNumberId, int phase = 1, int chunkOrder = 1, int progress = 50)
    {
        var random = new Random(seed);
        return WebhookBuilder.HistoryChunkWith($"evt-history-{seed}-{chunkOrder}", phoneNumberId, phase, chunkOrder, progress, w =>
        {
            var written = 0;
            var chat = 0;
            while (written < messages)
            {
                // Chat sizes are uneven: most chats are short, a few are long.
                var size = Math.Min(messages - written, 1 + (int)(random.NextDouble() * random.NextDouble() * 160));
                WriteThread(w, random, seed, chat++, size);
                written += size;
            }
        }, WriterOptions);
    }

    /// <summary>A history webhook of about <paramref name="targetBytes"/> bytes (within a few per cent).</summary>
    public static byte[] HistoryChunkOfSize(int targetBytes, int seed = 1)
    {
        var probe = HistoryChunk(2_000, seed);
        var messages = (int)(2_000L * targetBytes / probe.Length);
        return HistoryChunk(messages, seed);
    }

    /// <summary>The messages of a chunk: its thread items but the reactions (they go onto the message they target).</summary>
    public static int CountMessages(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty("history").EnumerateArray()
            .SelectMany(chunk => chunk.GetProperty("threads").EnumerateArray())
            .Sum(thread => thread.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("type").GetString() != "reaction"));
    }

    private static void WriteThread(Utf8JsonWriter w, Random random, int seed, int chat, int size)
    {
        var chatId = (4915100000000L + seed * 100_000L + chat).ToString();
        w.WriteStartObject();
        w.WriteString("id", chatId);
        w.WriteStartArray("messages");
        var timestamp = 1_690_000_000L + random.Next(0, 86_400 * 30);
        string? previous = null;
        for (var m = 0; m < size; m++)
        {
            timestamp += random.Next(5, 7_200);
            var outbound = random.Next(2) == 0;
            w.WriteStartObject();
            w.WriteString("from", outbound ? BusinessDigits : chatId);
            if (outbound) w.WriteString("to", chatId);
            var id = MessageId(random);
            w.WriteString("id", id);
            w.WriteString("timestamp", timestamp.ToString());
            var roll = random.Next(100);
            // A reaction reacts to an earlier message of its chat (the first message of a chat is a text instead).
            if (roll is >= 93 and < 97 && previous is null) roll = 0;
            switch (roll)
            {
                case < 62:
                    w.WriteString("type", "text");
                    w.WriteStartObject("text");
                    w.WriteString("body", Sentence(random));
                    w.WriteEndObject();
                    break;
                case < 80:
                    w.WriteString("type", "media_placeholder");
                    break;
                case < 86:
                    WriteMedia(w, random, "image", "image/jpeg", caption: random.Next(3) == 0 ? Sentence(random) : null);
                    break;
                case < 89:
                    WriteMedia(w, random, "document", "application/pdf", caption: null);
                    break;
                case < 93:
                    WriteMedia(w, random, "audio", "audio/ogg; codecs=opus", caption: null);
                    break;
                case < 97:
                    w.WriteString("type", "reaction");
                    w.WriteStartObject("reaction");
                    w.WriteString("message_id", previous);
                    w.WriteString("emoji", "👍");
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteString("type", "location");
                    w.WriteStartObject("location");
                    w.WriteNumber("latitude", 52.52 + random.NextDouble());
                    w.WriteNumber("longitude", 13.40 + random.NextDouble());
                    w.WriteString("name", "Office");
                    w.WriteEndObject();
                    break;
            }
            if (roll is not (>= 93 and < 97)) previous = id;
            w.WriteStartObject("history_context");
            w.WriteString("status", Statuses[random.Next(Statuses.Length)]);
            if (outbound && random.Next(4) == 0) w.WriteBoolean("from_me", true);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMedia(Utf8JsonWriter w, Random random, string type, string mime, string? caption)
    {
        w.WriteString("type", type);
        w.WriteStartObject(type);
        w.WriteString("id", random.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999).ToString());
        w.WriteString("mime_type", mime);
        w.WriteString("sha256", Convert.ToBase64String(RandomBytes(random, 32)));
        if (caption is not null) w.WriteString("caption", caption);
        w.WriteEndObject();
    }

    /// <summary>wamids are base64 of a protobuf: letters, digits, '+', '/', '='.</summary>
    private static string MessageId(Random random) => "wamid." + Convert.ToBase64String(RandomBytes(random, 36));

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Mostly short messages, some long ones (mean about 60 characters).</summary>
    private static string Sentence(Random random)
    {
        var words = random.Next(10) == 0 ? random.Next(30, 90) : random.Next(1, 12);
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(Words[random.Next(Words.Length)]);
        }
        return sb.ToString();
    }

    /// <summary>A Meta-envelope echo webhook of about 2 KB: several echoed messages, one with a long text.</summary>
    public static byte[] Echo(int seed = 1, int targetBytes = 2_048)
    {
        var random = new Random(seed);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("object", "whatsapp_business_account");
            w.WriteStartArray("entry");
            w.WriteStartObject();
            w.WriteString("id", "102290129340398");
            w.WriteStartArray("changes");
            w.WriteStartObject();
            w.WriteString("field", "smb_message_echoes");
            w.WriteStartObject("value");
            WebhookBuilder.WriteValueHeader(w, PhoneNumberId);
            w.WriteStartArray("message_echoes");
            var timestamp = 1_718_010_000L + seed;
            for (var i = 0; i < 4; i++)
            {
                w.WriteStartObject();
                w.WriteString("from", BusinessDigits);
                w.WriteString("to", (4915100000000L + random.Next(500)).ToString());
                w.WriteString("id", MessageId(random));
                w.WriteString("timestamp", (timestamp + i).ToString());
                w.WriteString("type", "text");
                w.WriteStartObject("text");
                w.WriteString("body", i == 3 ? new string('x', 0) : Sentence(random));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var body = stream.ToArray();
        // Pad the last text to reach the target size exactly (the placeholder body is empty).
        var padding = Math.Max(0, targetBytes - body.Length);
        var text = Encoding.UTF8.GetString(body);
        var marker = "\"body\":\"\"";
        var at = text.LastIndexOf(marker, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text[..(at + 8)] + new string('m', padding) + text[(at + 8)..]);
    }

    /// <summary>A contact sync webhook with a few contacts.</summary>
    public static byte[] Contacts(int seed = 1)
    {
        var items = Enumerable.Range(0, 5).Select(i =>
            $$$"""{"type":"contact","contact":{"full_name":"Contact {{{seed}}}-{{{i}}}","first_name":"Contact","phone_number":"{{{4915100000000L + seed * 10 + i}}}"},"action":"add","metadata":{"timestamp":"{{{1_718_000_000 + seed}}}"}}""");
        return Encoding.UTF8.GetBytes($$$"""
            {"id":"evt-contacts-{{{seed}}}","event":"smb_app_state_sync","data":{"id":"102290129340398","messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{DisplayNumber}}}","phone_number_id":"{{{PhoneNumberId}}}"},"state_sync":[{{{string.Join(",", items)}}}]}}
            """);
    }

    /// <summary>The provider's signature header value for a body (hex HMAC-SHA256 with <see cref="ProviderSecret"/>).</summary>
    public static string Sign(ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ProviderSecret), body));
}
