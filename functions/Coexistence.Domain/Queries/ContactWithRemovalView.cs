using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// A contact as the read API lists it with <c>includeRemoved=true</c> (docs/api.md): the
/// <see cref="ContactView"/> properties plus whether and when (unix seconds) it was removed. The CLI
/// and the default API listing keep the <see cref="ContactView"/> shape.
/// </summary>
internal sealed record ContactWithRemovalView(
    [property: JsonPropertyName("phoneNumber")] string? PhoneNumber,
    [property: JsonPropertyName("fullName")] string? FullName,
    [property: JsonPropertyName("firstName")] string? FirstName,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("parentUserId")] string? ParentUserId,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("removed")] bool Removed,
    [property: JsonPropertyName("removedAt")] long? RemovedAt)
{
    public ContactView ToContactView() => new(PhoneNumber, FullName, FirstName, UserId, ParentUserId, Username);
}
