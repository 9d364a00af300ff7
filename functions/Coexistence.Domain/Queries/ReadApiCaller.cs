using System.Text.Json;

namespace Coexistence.Queries;

/// <summary>
/// Who calls the read API, as App Service authentication (Easy Auth) tells the app after validating the caller's Entra ID
/// token: the base64 JSON of the <c>X-MS-CLIENT-PRINCIPAL</c> header, whose claims include the caller's app roles. The
/// platform strips that header from incoming requests, so it can only be trusted where authentication is on
/// (docs/security.md, "Read API").
/// </summary>
internal sealed record ReadApiCaller(IReadOnlySet<string> Roles)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The app role that lets a caller read every number.</summary>
    public const string ReadAllRole = "Numbers.Read.All";

    /// <summary>The app role that lets a caller read one number: <c>Numbers.Read.{phone_number_id}</c>.</summary>
    public const string ReadOneRolePrefix = "Numbers.Read.";

    public bool MayRead(string? phoneNumberId) =>
        Roles.Contains(ReadAllRole) || (phoneNumberId is not null && Roles.Contains(ReadOneRolePrefix + phoneNumberId));

    /// <summary>The caller from the header's value, or null when it is absent or not a principal.</summary>
    public static ReadApiCaller? FromPrincipal(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength) return null;
        try
        {
            using var principal = JsonDocument.Parse(Convert.FromBase64String(header));
            if (principal.RootElement.ValueKind != JsonValueKind.Object
                || !principal.RootElement.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
                return null;
            var roleType = principal.RootElement.TryGetProperty("role_typ", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var roles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var claim in claims.EnumerateArray())
                if (claim.ValueKind == JsonValueKind.Object
                    && claim.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
                    && (typ.GetString() == "roles" || typ.GetString() == roleType)
                    && claim.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String)
                    roles.Add(val.GetString()!);
            return new ReadApiCaller(roles);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Far above a principal with many roles; a longer header is not read.</summary>
    public const int MaxHeaderLength = 64 * 1024;
}
