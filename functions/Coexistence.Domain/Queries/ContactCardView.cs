using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// One card of a <c>contacts</c> message (the <c>content</c> is an array of them): <c>name.{formatted_name,
/// first_name, last_name}</c>, <c>org.company</c>, <c>birthday</c>, and its <c>phones[]</c> (<c>phone</c>, <c>type</c>,
/// <c>wa_id</c>), <c>emails[]</c> (<c>email</c>, <c>type</c>) and <c>urls[]</c> (<c>url</c>, <c>type</c>).
/// </summary>
public sealed record ContactCardView(
    [property: JsonPropertyName("formattedName")] string? FormattedName,
    [property: JsonPropertyName("firstName")] string? FirstName,
    [property: JsonPropertyName("lastName")] string? LastName,
    [property: JsonPropertyName("company")] string? Company,
    [property: JsonPropertyName("birthday")] string? Birthday,
    [property: JsonPropertyName("phones")] IReadOnlyList<ContactPointView> Phones,
    [property: JsonPropertyName("emails")] IReadOnlyList<ContactPointView> Emails,
    [property: JsonPropertyName("urls")] IReadOnlyList<ContactPointView> Urls)
{
    /// <summary>By value, lists included (a record compares a list by reference).</summary>
    public bool Equals(ContactCardView? other) =>
        other is not null && FormattedName == other.FormattedName && FirstName == other.FirstName && LastName == other.LastName
        && Company == other.Company && Birthday == other.Birthday && Phones.SequenceEqual(other.Phones) && Emails.SequenceEqual(other.Emails)
        && Urls.SequenceEqual(other.Urls);

    public override int GetHashCode() => HashCode.Combine(FormattedName, FirstName, LastName, Phones.Count, Emails.Count);
}
