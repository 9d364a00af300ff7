using System.Text;
using System.Text.Json;

namespace Coexistence.Tests.Support;

/// <summary>Builds webhook bodies in both envelopes for tests that need many or large ones.</summary>
internal static class WebhookBuilder
{
    public const string PhoneNumberId = "106540352242922";
    public const string DisplayNumber = "+1 555-078-3881";
    public const string BusinessDigits = "15550783881";
    /// <summary>The WhatsApp Business Account both envelopes name (<c>data.id</c>, <c>entry[].id</c>).</summary>
    public const string WabaId = "102290129340398";

    /// <summary>The same body posted under another account (a foreign sender's, issue 17 finding 4).</summary>
    public static byte[] UnderAccount(byte[] body, string wabaId) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace($"\"id\":\"{WabaId}\"", $"\"id\":\"{wabaId}\"", StringComparison.Ordinal));

    public static byte[] Partner(string kind, string itemsJson, string phoneNumberId = PhoneNumberId, string display = DisplayNumber, string eventId = "evt-1") =>
        Encoding.UTF8.GetBytes($$$"""
        {"id":"{{{eventId}}}","event":"{{{kind}}}","data":{"id":"102290129340398","messaging_product":"whatsapp",
         "metadata":{"display_phone_number":"{{{display}}}","phone_number_id":"{{{phoneNumberId}}}"},{{{itemsJson}}}}}
        """);

    public static byte[] Meta(string kind, string itemsJson, string phoneNumberId = PhoneNumberId, string display = DisplayNumber) =>
        Encoding.UTF8.GetBytes($$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"{{{kind}}}","value":{
         "messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{display}}}","phone_number_id":"{{{phoneNumberId}}}"},{{{itemsJson}}}}}]}]}
        """);

    public static byte[] HistoryChunk(int phase, int chunkOrder, int progress, params string[] threads) =>
        Partner("history", $$$"""
        "history":[{"metadata":{"phase":{{{phase}}},"chunk_order":{{{chunkOrder}}},"progress":{{{progress}}}},"threads":[{{{string.Join(",", threads)}}}]}]
        """);

    public static string Thread(string chatId, params string[] messages) => $$$"""{"id":"{{{chatId}}}","messages":[{{{string.Join(",", messages)}}}]}""";

    public static string Text(string id, string from, long timestamp, string body, string? status = "READ", string? to = null) =>
        $$$"""{"from":"{{{from}}}",{{{(to is null ? "" : $"\"to\":\"{to}\",")}}}"id":"{{{id}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{body}}}"},"history_context":{"status":"{{{status}}}"}}""";

    public static string Placeholder(string id, string from, long timestamp) =>
        $$$"""{"from":"{{{from}}}","id":"{{{id}}}","timestamp":"{{{timestamp}}}","type":"media_placeholder","history_context":{"status":"DELIVERED"}}""";

    public static byte[] MediaFollowUp(string id, string from, long timestamp, string type = "image", string mediaId = "media-1", string caption = "a caption") =>
        Partner("history", $$$"""
        "messages":[{"from":"{{{from}}}","id":"{{{id}}}","timestamp":"{{{timestamp}}}","type":"{{{type}}}","{{{type}}}":{"id":"{{{mediaId}}}","mime_type":"image/jpeg","sha256":"abc123","caption":"{{{caption}}}"}}]
        """);

    public static byte[] Echo(string itemJson) => Meta("smb_message_echoes", $$$""" "message_echoes":[{{{itemJson}}}] """);

    public static string EchoText(string id, string to, long timestamp, string body) =>
        $$$"""{"from":"{{{BusinessDigits}}}","to":"{{{to}}}","id":"{{{id}}}","timestamp":"{{{timestamp}}}","type":"text","text":{"body":"{{{body}}}"}}""";

    public static string EchoEdit(string id, string to, long timestamp, string originalId, string body) =>
        $$$"""{"from":"{{{BusinessDigits}}}","to":"{{{to}}}","id":"{{{id}}}","timestamp":"{{{timestamp}}}","type":"edit","edit":{"original_message_id":"{{{originalId}}}","message":{"type":"text","text":{"body":"{{{body}}}"}}""" + "}}";

    public static string EchoRevoke(string id, string to, long timestamp, string originalId) =>
        $$$"""{"from":"{{{BusinessDigits}}}","to":"{{{to}}}","id":"{{{id}}}","timestamp":"{{{timestamp}}}","type":"revoke","revoke":{"original_message_id":"{{{originalId}}}"}}""";

    public static byte[] Contacts(params string[] items) => Partner("smb_app_state_sync", $$$""" "state_sync":[{{{string.Join(",", items)}}}] """);

    public static string ContactAdd(string number, string fullName, string firstName, string timestamp) =>
        $$$"""{"type":"contact","contact":{"full_name":"{{{fullName}}}","first_name":"{{{firstName}}}","phone_number":"{{{number}}}"},"action":"add","metadata":{"timestamp":"{{{timestamp}}}"}}""";

    public static string ContactRemove(string number, string timestamp) =>
        $$$"""{"type":"contact","contact":{"phone_number":"{{{number}}}"},"action":"remove","metadata":{"timestamp":"{{{timestamp}}}"}}""";

    /// <summary>
    /// A large history chunk: <paramref name="chats"/> chats with <paramref name="messagesPerChat"/> messages each,
    /// alternating inbound/outbound, every tenth a media placeholder. Message ids are "wamid.{chat}/{n}+=".
    /// </summary>
    public static byte[] LargeHistoryChunk(int chats, int messagesPerChat, int phase = 1, int chunkOrder = 1, int progress = 50, int textLength = 200)
    {
        var filler = new string('x', textLength);
        return HistoryChunkWith("evt-large", PhoneNumberId, phase, chunkOrder, progress, w =>
        {
            for (var c = 0; c < chats; c++)
            {
                var chatId = ChatId(c);
                w.WriteStartObject();
                w.WriteString("id", chatId);
                w.WriteStartArray("messages");
                for (var m = 0; m < messagesPerChat; m++)
                {
                    w.WriteStartObject();
                    var outbound = m % 2 == 1;
                    w.WriteString("from", outbound ? BusinessDigits : chatId);
                    if (outbound) w.WriteString("to", chatId);
                    w.WriteString("id", LargeMessageId(c, m));
                    w.WriteString("timestamp", (1_690_000_000 + m * 60).ToString());
                    if (m % 10 == 9)
                        w.WriteString("type", "media_placeholder");
                    else
                    {
                        w.WriteString("type", "text");
                        w.WriteStartObject("text");
                        w.WriteString("body", $"message {m} {filler}");
                        w.WriteEndObject();
                    }
                    w.WriteStartObject("history_context");
                    w.WriteString("status", "read");
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
        });
    }

    /// <summary>
    /// A partner-envelope history webhook with one chunk, streamed: <paramref name="writeThreads"/> writes the
    /// thread objects into the chunk's <c>threads</c> array (used by the tests' and the benchmarks' generators).
    /// </summary>
    public static byte[] HistoryChunkWith(string eventId, string phoneNumberId, int phase, int chunkOrder, int progress,
        Action<Utf8JsonWriter> writeThreads, JsonWriterOptions options = default)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartObject();
            w.WriteString("id", eventId);
            w.WriteString("event", "history");
            w.WriteStartObject("data");
            w.WriteString("id", "102290129340398");
            WriteValueHeader(w, phoneNumberId);
            w.WriteStartArray("history");
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            w.WriteNumber("phase", phase);
            w.WriteNumber("chunk_order", chunkOrder);
            w.WriteNumber("progress", progress);
            w.WriteEndObject();
            w.WriteStartArray("threads");
            writeThreads(w);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>What every change value starts with: <c>messaging_product</c> and <c>metadata</c> naming the business number.</summary>
    public static void WriteValueHeader(Utf8JsonWriter w, string phoneNumberId, string displayNumber = DisplayNumber)
    {
        w.WriteString("messaging_product", "whatsapp");
        w.WriteStartObject("metadata");
        w.WriteString("display_phone_number", displayNumber);
        w.WriteString("phone_number_id", phoneNumberId);
        w.WriteEndObject();
    }

    public static string ChatId(int index) => (4915100000000 + index).ToString();
    public static string LargeMessageId(int chat, int message) => $"wamid.{chat}/{message}+=";
}
