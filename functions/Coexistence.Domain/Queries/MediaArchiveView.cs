using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// Whether the media file is in the archive (docs/media.md): <c>archived</c> (with when it was fetched and its size;
/// <c>GET numbers/{id}/media?wamid=</c> serves it), <c>failed</c> (it can never be: why, and when that was found), or
/// <c>missing</c> (not yet, or media are not archived for the number). Times in unix seconds.
/// </summary>
public sealed record MediaArchiveView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("fetchedAt")] long? FetchedAt,
    [property: JsonPropertyName("bytes")] long? Bytes,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("failedAt")] long? FailedAt)
{
    public const string Archived = "archived";
    public const string Failed = "failed";
    public const string Missing = "missing";
}
