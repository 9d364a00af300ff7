using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The <c>content</c> of an <c>interactive</c> reply: its <c>type</c> (<c>button_reply</c>, <c>list_reply</c>,
/// <c>nfm_reply</c>), the chosen <c>id</c>, <c>title</c>, <c>description</c> (list rows), and for a flow's reply its
/// <c>name</c>, <c>body</c> and <c>response_json</c> (as sent: a JSON string).
/// </summary>
public sealed record InteractiveView(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("responseJson")] string? ResponseJson);
