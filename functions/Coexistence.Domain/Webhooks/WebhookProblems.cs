using Coexistence.Http;

namespace Coexistence.Webhooks;

/// <summary>
/// Why a webhook body is refused by the envelope rules and the intake: the problem codes (a public contract,
/// docs/http-api.md) and the problems that carry them.
/// </summary>
public static class WebhookProblems
{
    public const string EmptyBody = "empty-body";
    public const string BodyTooLarge = "body-too-large";
    public const string MalformedJson = "malformed-json";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string UnrecognisedEnvelope = "unrecognised-envelope";
    public const string MissingField = "missing-field";
    public const string InvalidField = "invalid-field";
    public const string TooManyChanges = "too-many-changes";
    public const string TooManyNumbers = "too-many-numbers";
    public const string AccountNotAllowed = "account-not-allowed";

    public static Problem Missing(string pointer, string what) =>
        new(MissingField, "A required field is missing", $"{what} is missing at {pointer}.", pointer);

    public static Problem Invalid(string pointer, string what) =>
        new(InvalidField, "A field has an invalid value", $"{what} at {pointer}.", pointer);

    public static Problem NotUtf8() =>
        new(InvalidUtf8, "The body is not valid UTF-8", "A webhook body must be UTF-8 encoded JSON.");

    public static Problem ManyChanges(int count, int limit) =>
        new(TooManyChanges, "The webhook has too many changes", $"The body has {count} changes; at most {limit} are accepted per body.", null, 413);

    public static Problem ManyNumbers(int count, int limit) =>
        new(TooManyNumbers, "The webhook names too many numbers",
            $"The body names {count} distinct phone_number_id values; at most {limit} are accepted per body.", null, 413);

    public static Problem NotAllowed(string pointer, string? account) =>
        new(AccountNotAllowed, "The webhook names an account its credential may not post for",
            account is null
                ? "A change names no account (WABA id), and the credential the body is signed with may only post for listed accounts."
                : "A change names an account (WABA id) the credential the body is signed with may not post for.",
            pointer, 403);

    public static Problem TooLarge(int limit) =>
        new(BodyTooLarge, "The request body is too large", $"The body exceeds the limit of {limit} bytes.", null, 413);
}
