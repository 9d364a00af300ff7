namespace Coexistence.Queries;

/// <summary>The read API's settings (section "ReadApi"; docs/api.md).</summary>
internal sealed class ReadApiOptions
{
    /// <summary>Table Storage returns at most 1000 rows per request; a page is never bigger.</summary>
    public const int PageSizeLimit = 1000;
    public const int MinTokenKeyLength = 32;

    /// <summary>
    /// Secret for the HMAC-SHA256 that signs continuation tokens (at least 32 characters; a Key Vault
    /// reference in Azure). Unset: a random key per process, so tokens do not survive a restart and
    /// are refused by other instances.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>Page size when the request gives none.</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Largest page size a request may ask for.</summary>
    public int MaxPageSize { get; set; } = PageSizeLimit;

    /// <summary>
    /// True: a caller reads a number only with the app role <c>Numbers.Read.All</c> or <c>Numbers.Read.{phone_number_id}</c>
    /// (from App Service authentication's principal; <see cref="ReadApiCaller"/>), else 403. Only with authentication on.
    /// </summary>
    public bool RequireNumberRoles { get; set; }
}
