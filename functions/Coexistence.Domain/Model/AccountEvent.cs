namespace Coexistence.Model;

/// <summary>
/// One <c>account_update</c> event of a WABA, as sent: <see cref="Event"/> (<c>PARTNER_REMOVED</c>, <c>ACCOUNT_OFFBOARDED</c>,
/// <c>ACCOUNT_RECONNECTED</c>, a provider's own name, ... recorded as is; null when the value names none), the
/// <c>disconnection_info</c>'s <see cref="Reason"/> and <see cref="InitiatedBy"/>, the display number it names
/// (<see cref="PhoneNumber"/>, digits), when it happened (<see cref="OccurredAt"/>, unix seconds: the entry's <c>time</c>, else
/// the first receipt) and the value itself (<see cref="Details"/>, truncated JSON).
/// </summary>
public sealed record AccountEvent(string? Event, string? Reason, string? InitiatedBy, string? PhoneNumber, long OccurredAt, string Details)
{
    public const string PartnerRemoved = "PARTNER_REMOVED";
    public const string AccountOffboarded = "ACCOUNT_OFFBOARDED";
    public const string AccountReconnected = "ACCOUNT_RECONNECTED";
    public const string PartnerAdded = "PARTNER_ADDED";
    public const string PartnerAppInstalled = "PARTNER_APP_INSTALLED";
    public const string PartnerAppUninstalled = "PARTNER_APP_UNINSTALLED";
    public const string AccountDeleted = "ACCOUNT_DELETED";

    /// <summary>An event name as telemetry may show it: one documented here, else <c>other</c> (any sender may choose any text).</summary>
    public static string LoggableName(string? name) => name switch
    {
        PartnerRemoved or AccountOffboarded or AccountReconnected or PartnerAdded or PartnerAppInstalled or PartnerAppUninstalled or AccountDeleted => name,
        null => "none",
        _ => "other",
    };

    /// <summary>
    /// Meta's <c>disconnection_info.reason</c> values as telemetry may show them, else <c>other</c>.
    /// </summary>
    public static string LoggableReason(string? reason) => reason switch
    {
        null => "none",
        "ACCOUNT_DISCONNECTED" or "BUSINESS_DOWNGRADE" or "CHANGE_NUMBER" or "COMPANION_INACTIVITY" or "PRIMARY_INACTIVITY" or "USER_RE_REGISTERED" => reason,
        _ => "other",
    };

    /// <summary>The events after which the number no longer reaches this pipeline: operators are alerted.</summary>
    public static bool Disconnects(string? name) => name is PartnerRemoved or AccountOffboarded or PartnerAppUninstalled or AccountDeleted;

    /// <summary>The events after which the number is connected (again).</summary>
    public static bool Connects(string? name) => name is AccountReconnected or PartnerAdded or PartnerAppInstalled;
}
