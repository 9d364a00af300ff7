using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// A message's media: its id (to fetch it from the provider; ids expire), MIME type, hash and caption, and what some
/// types add: a document's <c>filename</c>, an audio's <c>voice</c> (a voice note), a sticker's <c>animated</c>; and
/// whether the file is in the media archive (<see cref="MediaArchiveView"/>; null when there is no id to fetch it by).
/// </summary>
public sealed record MediaView(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("mimeType")] string? MimeType,
    [property: JsonPropertyName("sha256")] string? Sha256,
    [property: JsonPropertyName("caption")] string? Caption,
    [property: JsonPropertyName("filename")] string? Filename = null,
    [property: JsonPropertyName("voice")] bool? Voice = null,
    [property: JsonPropertyName("animated")] bool? Animated = null,
    [property: JsonPropertyName("archive")] MediaArchiveView? Archive = null);
