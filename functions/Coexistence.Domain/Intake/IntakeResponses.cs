using System.Text.Json;
using Coexistence.Webhooks;

namespace Coexistence.Intake;

/// <summary>The door's HTTP response bodies (docs/http-api.md): 202 receipts and RFC 9457 problems.</summary>
public static class IntakeResponses
{
    public const string ProblemContentType = "application/problem+json";
    public const string JsonContentType = "application/json";

    /// <summary>Problem type URIs are URNs: stable identifiers, not links.</summary>
    public static string ProblemType(string code) => "urn:coexistence:problem:" + code;

    public static byte[] Problem(WebhookProblem problem)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("type", ProblemType(problem.Code));
            w.WriteString("title", problem.Title);
            w.WriteNumber("status", problem.Status);
            w.WriteString("detail", problem.Detail);
            w.WriteString("code", problem.Code);
            if (problem.Pointer is null) w.WriteNull("pointer");
            else w.WriteString("pointer", problem.Pointer);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    public static byte[] Accepted(IntakeResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("webhookId", result.WebhookId);
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
