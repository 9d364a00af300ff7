using System.Text.Json;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Processing;

/// <summary>
/// Reads an <c>account_update</c> value: <c>{"event", "phone_number"?, "disconnection_info"?: {"reason", "initiated_by"},
/// "waba_info"?: {...}, ...}</c>. Nothing in it is refused: an event name nobody documents is kept as is, a missing one as
/// null, and a <c>phone_number</c> that is not a phone number as if absent (the value, kept in <see cref="AccountEvent.Details"/>,
/// still shows it).
/// </summary>
internal static class AccountUpdatePayloadParser
{
    public static AccountEvent Parse(JsonElement value, long occurredAt)
    {
        var name = PayloadParsing.Short(value.GetString("event"));
        var phone = PhoneNumbers.TryNormalize(value.GetStringOrNumber("phone_number"), out var digits) ? digits : null;
        string? reason = null, initiatedBy = null;
        if (value.TryGetProperty("disconnection_info", JsonValueKind.Object, out var disconnection))
        {
            reason = PayloadParsing.Short(disconnection.GetString("reason"));
            initiatedBy = PayloadParsing.Short(disconnection.GetString("initiated_by"));
        }
        return new AccountEvent(name, reason, initiatedBy, phone, occurredAt, PayloadParsing.Truncate(value.GetRawText())!);
    }
}
