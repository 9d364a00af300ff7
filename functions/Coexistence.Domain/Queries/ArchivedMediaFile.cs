namespace Coexistence.Queries;

/// <summary>An archived media file opened for reading (docs/media.md): the caller disposes <see cref="Content"/>.</summary>
public sealed record ArchivedMediaFile(Stream Content, string ContentType, long Length);
