using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The ad or post a customer's message came from (<c>referral</c>): <c>source_url</c>, <c>source_id</c>,
/// <c>source_type</c> (<c>ad</c>, <c>post</c>), <c>headline</c>, <c>body</c>, <c>media_type</c>, <c>ctwa_clid</c>.
/// </summary>
public sealed record ReferralView(
    [property: JsonPropertyName("sourceUrl")] string? SourceUrl,
    [property: JsonPropertyName("sourceId")] string? SourceId,
    [property: JsonPropertyName("sourceType")] string? SourceType,
    [property: JsonPropertyName("headline")] string? Headline,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("ctwaClid")] string? CtwaClid);
