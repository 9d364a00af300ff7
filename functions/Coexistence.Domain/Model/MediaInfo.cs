namespace Coexistence.Model;

/// <summary>A media object of a message: its provider media id, MIME type, SHA-256 and caption, as the webhook gave them.</summary>
internal sealed record MediaInfo(string? Id, string? MimeType, string? Sha256, string? Caption);
