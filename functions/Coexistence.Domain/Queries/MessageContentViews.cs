using System.Text.Json;
using Coexistence.Webhooks;

namespace Coexistence.Queries;

/// <summary>
/// The typed views of what a chat row keeps as raw JSON (docs/data-model.md, "Chat row"; docs/api.md, "Message
/// content"): the content object of its type, its errors, its referral. Read on the way out, so that the row keeps each
/// thing once; JSON cut at the size limit reads as absent (<see cref="RawContentView"/> with a null <c>raw</c>).
/// </summary>
internal static class MessageContentViews
{
    /// <summary>Types whose content is <c>text</c> or <c>media</c> on the view, or that have none.</summary>
    private static readonly HashSet<string> WithoutContent =
        ["text", "image", "video", "audio", "document", "sticker", "media_placeholder", "errors", "unsupported", "request_welcome", "reaction",
         "edit", "revoke"];

    /// <summary>
    /// The <c>content</c> of a message of <paramref name="type"/>: <see cref="LocationView"/>, a list of
    /// <see cref="ContactCardView"/>, <see cref="InteractiveView"/>, <see cref="ButtonView"/>, <see cref="OrderView"/>,
    /// <see cref="SystemView"/>, <see cref="TemplateView"/>, or for any other type with a content object
    /// <see cref="RawContentView"/>; null for text, media and types without content.
    /// </summary>
    public static object? ContentOf(string type, string? contentJson)
    {
        if (WithoutContent.Contains(type) || contentJson is null) return null;
        if (Parse(contentJson) is not { } content) return new RawContentView(null);
        return type switch
        {
            "location" when content.ValueKind == JsonValueKind.Object => Location(content),
            "contacts" when content.ValueKind == JsonValueKind.Array =>
                content.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(ContactCard).ToList(),
            "interactive" when content.ValueKind == JsonValueKind.Object => Interactive(content),
            "button" when content.ValueKind == JsonValueKind.Object => new ButtonView(content.GetString("text"), content.GetString("payload")),
            "order" when content.ValueKind == JsonValueKind.Object => Order(content),
            "system" when content.ValueKind == JsonValueKind.Object => new SystemView(content.GetString("type"), content.GetString("body"),
                content.GetStringOrNumber("wa_id") ?? content.GetStringOrNumber("new_wa_id"), content.GetString("user_id"),
                content.GetString("previous_user_id")),
            "template" when content.ValueKind == JsonValueKind.Object => Template(content),
            _ => new RawContentView(content),
        };
    }

    /// <summary>A message's <c>errors</c> (an <c>unsupported</c> item's, an <c>errors</c> item's): code, title, message, details.</summary>
    public static IReadOnlyList<ErrorView>? ErrorsOf(string? errorsJson) =>
        errorsJson is not null && Parse(errorsJson) is { ValueKind: JsonValueKind.Array } errors
            ? errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(e => new ErrorView(
                e.TryGetInt64("code", out var code) ? code : null, e.GetString("title"), e.GetString("message"),
                e.TryGetProperty("error_data", JsonValueKind.Object, out var data) ? data.GetString("details") : null)).ToList()
            : null;

    public static ReferralView? ReferralOf(string? referralJson) =>
        referralJson is not null && Parse(referralJson) is { ValueKind: JsonValueKind.Object } r
            ? new ReferralView(r.GetString("source_url"), r.GetString("source_id"), r.GetString("source_type"), r.GetString("headline"),
                r.GetString("body"), r.GetString("media_type"), r.GetString("ctwa_clid"))
            : null;

    /// <summary>What a media object says beyond id, type, hash and caption: a document's <c>filename</c>, a voice note's <c>voice</c>, an animated sticker's <c>animated</c>.</summary>
    public static (string? Filename, bool? Voice, bool? Animated) MediaExtrasOf(string? contentJson) =>
        contentJson is not null && Parse(contentJson) is { ValueKind: JsonValueKind.Object } media
            ? (media.GetString("filename"), media.GetBoolean("voice"), media.GetBoolean("animated"))
            : (null, null, null);

    private static JsonElement? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null; // cut at the size limit
        }
    }

    private static LocationView Location(JsonElement l) =>
        new(l.GetDouble("latitude") ?? 0, l.GetDouble("longitude") ?? 0, l.GetString("name"), l.GetString("address"), l.GetString("url"));

    private static ContactCardView ContactCard(JsonElement c)
    {
        var name = c.TryGetProperty("name", JsonValueKind.Object, out var n) ? n : default;
        string? Name(string field) => name.ValueKind == JsonValueKind.Object ? name.GetString(field) : null;
        IReadOnlyList<ContactPointView> Points(string array, string value, bool withWaId) =>
            c.TryGetProperty(array, JsonValueKind.Array, out var items)
                ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
                    .Select(i => new ContactPointView(i.GetString(value), i.GetString("type"), withWaId ? i.GetStringOrNumber("wa_id") : null)).ToList()
                : [];
        return new ContactCardView(Name("formatted_name"), Name("first_name"), Name("last_name"),
            c.TryGetProperty("org", JsonValueKind.Object, out var org) ? org.GetString("company") : null, c.GetString("birthday"),
            Points("phones", "phone", true), Points("emails", "email", false), Points("urls", "url", false));
    }

    private static InteractiveView Interactive(JsonElement i)
    {
        var type = i.GetString("type");
        var reply = type is not null && i.TryGetProperty(type, JsonValueKind.Object, out var r) ? r : default;
        string? Field(string name) => reply.ValueKind == JsonValueKind.Object ? reply.GetString(name) : null;
        return new InteractiveView(type, Field("id"), Field("title"), Field("description"), Field("name"), Field("body"), Field("response_json"));
    }

    private static OrderView Order(JsonElement o) =>
        new(o.GetString("catalog_id"), o.GetString("text"),
            o.TryGetProperty("product_items", JsonValueKind.Array, out var items)
                ? items.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(p => new OrderItemView(p.GetString("product_retailer_id"),
                    p.TryGetInt64("quantity", out var q) ? q : null, p.GetDouble("item_price"), p.GetString("currency"))).ToList()
                : []);

    private static TemplateView Template(JsonElement t) =>
        new(t.GetString("name"),
            t.TryGetProperty("language", out var language)
                ? language.ValueKind == JsonValueKind.Object ? language.GetString("code") : language.ValueKind == JsonValueKind.String ? language.GetString() : null
                : null,
            t.TryGetProperty("components", out var components) ? components.Clone() : null);
}
