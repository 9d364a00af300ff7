using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// The history's media placeholders still without media: <c>awaitingMedia</c> may still get a follow-up (sent at most 14 days
/// before the sync's first chunk), <c>tooOldForMedia</c> never will.
/// </summary>
public sealed record PlaceholdersView(
    [property: JsonPropertyName("awaitingMedia")] int AwaitingMedia,
    [property: JsonPropertyName("tooOldForMedia")] int TooOldForMedia);
