using System.Text.Json;

namespace Coexistence.Intake;

/// <summary>The door's 202 body (docs/http-api.md): the webhook's id and what happened to each of its changes.</summary>
internal static class IntakeReceipt
{
    public static byte[] Json(IntakeResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("webhookId", result.WebhookId);
            w.WriteBoolean("duplicate", result.Duplicate);
            w.WriteStartArray("changes");
            foreach (var c in result.Changes)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c.Index);
                w.WriteString("field", c.Field);
                if (c.PhoneNumberId is null) w.WriteNull("phoneNumberId");
                else w.WriteString("phoneNumberId", c.PhoneNumberId);
                w.WriteBoolean("queued", c.Queued);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return stream.ToArray();
    }
}
