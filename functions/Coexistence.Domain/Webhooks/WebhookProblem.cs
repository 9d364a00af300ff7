namespace Coexistence.Webhooks;

/// <summary>
/// Why a webhook was refused, in the shape of an RFC 9457 problem: a stable machine-readable
/// <see cref="Code"/>, a human <see cref="Detail"/>, and a JSON Pointer (RFC 6901) to the offending
/// place in the body when there is one. The codes are a public contract (docs/http-api.md).
/// </summary>
public sealed record WebhookProblem(string Code, string Title, string Detail, string? Pointer = null, int Status = 400)
{
    public const string EmptyBody = "empty-body";
    public const string BodyTooLarge = "body-too-large";
    public const string MalformedJson = "malformed-json";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string UnrecognisedEnvelope = "unrecognised-envelope";
    public const string MissingField = "missing-field";
    public const string InvalidField = "invalid-field";

    public static WebhookProblem Missing(string pointer, string what) =>
        new(MissingField, "A required field is missing", $"{what} is missing at {pointer}.", pointer);

    public static WebhookProblem Invalid(string pointer, string what) =>
        new(InvalidField, "A field has an invalid value", $"{what} at {pointer}.", pointer);

    public static WebhookProblem NotUtf8() =>
        new(InvalidUtf8, "The body is not valid UTF-8", "A webhook body must be UTF-8 encoded JSON.");
}
