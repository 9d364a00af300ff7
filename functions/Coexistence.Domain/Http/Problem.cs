namespace Coexistence.Http;

/// <summary>
/// Why a request was refused, in the shape of an RFC 9457 problem: a stable machine-readable <see cref="Code"/>, a
/// human <see cref="Title"/> and <see cref="Detail"/>, the HTTP <see cref="Status"/>, and a JSON Pointer (RFC 6901)
/// to the offending place in the body when there is one. The codes are public contracts (docs/http-api.md, docs/api.md);
/// each is defined where it is decided (<c>WebhookProblems</c>, <c>WebhookDoor</c>, <c>ReadApi</c>).
/// </summary>
public sealed record Problem(string Code, string Title, string Detail, string? Pointer = null, int Status = 400);
