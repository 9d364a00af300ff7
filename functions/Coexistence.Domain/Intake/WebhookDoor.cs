using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using Coexistence.Http;
using Coexistence.Telemetry;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Intake;

/// <summary>
/// The HTTP door's decisions, independent of the Functions runtime: size limit while reading,
/// authenticity, content type, then the intake (UTF-8, envelope, storage). Every refusal is a 4xx problem document and
/// leaves no trace; a 5xx only ever means our side failed. The HTTP functions only translate.
/// </summary>
public sealed class WebhookDoor
{
    private readonly WebhookIntake intake;
    private readonly WebhookAuthenticator authenticator;
    private readonly WebhookAuthOptions authOptions;
    private readonly IntakeOptions options;
    private readonly ILogger<WebhookDoor> logger;
    private readonly Dictionary<WebhookSender, IReadOnlySet<string>?> accountsOf;

    internal WebhookDoor(WebhookIntake intake, WebhookAuthenticator authenticator, WebhookAuthOptions authOptions, IntakeOptions options,
        ILogger<WebhookDoor> logger)
    {
        this.intake = intake;
        this.authenticator = authenticator;
        this.authOptions = authOptions;
        this.options = options;
        this.logger = logger;
        // The settings do not change while the app runs: each sender's accounts as a set, once, not per request.
        accountsOf = Enum.GetValues<WebhookSender>().ToDictionary(s => s, authOptions.AccountsOf);
    }

    /// <summary>Which webhook checks are on, for the start-up log (counts only, never a value).</summary>
    public string AuthenticationSummary => authOptions.Describe();

    /// <summary>True when provider and Meta secrets are both configured and neither is limited to its accounts.</summary>
    public bool SendersShareEveryAccount => authOptions.SendersShareEveryAccount;

    /// <summary>True when webhooks get in without a signature or header token (<c>WebhookAuth:AllowUnsigned</c>).</summary>
    public bool AcceptsUnsignedWebhooks => !authOptions.AuthenticatesSenders;

    public const int RetryAfterSeconds = 30;
    public const int MaxChallengeLength = 256;

    public const string Unauthenticated = "unauthenticated";
    public const string UnsupportedMediaType = "unsupported-media-type";

    /// <summary>POST: a webhook body.</summary>
    public async Task<HttpAnswer> ReceiveAsync(Func<string, string?> header, Stream body, CancellationToken cancellationToken)
    {
        using var activity = CoexistenceTelemetry.Source.StartActivity("webhook door");
        var response = await ReceiveCoreAsync(header, body, cancellationToken);
        activity?.SetTag("http.response.status_code", response.Status);
        return response;
    }

    private async Task<HttpAnswer> ReceiveCoreAsync(Func<string, string?> header, Stream body, CancellationToken cancellationToken)
    {
        var bytes = await ReadLimitedAsync(body, options.MaxBodyBytes, DeclaredLength(header("Content-Length")), cancellationToken);
        if (bytes is null) return RefuseAtDoor(WebhookProblems.TooLarge(options.MaxBodyBytes));

        if (authenticator.Check(header, bytes.Value.Span, out var sender) is { } unauthenticated)
        {
            // One answer for every failure (issue 17, finding 7): a sender cannot tell a wrong token from a wrong
            // signature, or which one is configured. The operator's log says which check failed (never a secret).
            logger.LogWarning("Webhook not authenticated: {Reason}", unauthenticated);
            return RefuseAtDoor(new Problem(Unauthenticated, "The webhook is not authenticated", UnauthenticatedDetail, null, 401));
        }

        if (!IsJsonContentType(header("Content-Type"), out var why))
            return RefuseAtDoor(new Problem(UnsupportedMediaType, "Unsupported content type", why!, null, 415));

        // The intake checks UTF-8 and the envelope, and counts what it decides; the door counts only its own refusals (above).
        // Within the senders' 5 s: a throttled or stuck dependency gives 503 with Retry-After in time (issue 17, finding 8).
        var result = await intake.ReceiveAsync(bytes.Value, receivedAt: null, cancellationToken,
            deadline: TimeSpan.FromMilliseconds(options.AnswerWithinMilliseconds), allowedAccounts: accountsOf[sender]);
        return result.Outcome switch
        {
            IntakeOutcome.Accepted => HttpAnswer.Json(202, IntakeReceipt.Json(result)),
            IntakeOutcome.Unavailable => HttpAnswer.ForProblem(result.Problem!, RetryAfterSeconds),
            // The intake logged it as an error; no Retry-After: retrying soon does not help until we fix it.
            IntakeOutcome.Failed => HttpAnswer.ForProblem(result.Problem!),
            _ => Refuse(result.Problem!),
        };
    }

    /// <summary>The detail of every 401 (docs/api.md, "Problems"; docs/security.md).</summary>
    public const string UnauthenticatedDetail = "Refused: the request does not carry the configured webhook credentials.";

    private HttpAnswer RefuseAtDoor(Problem problem)
    {
        CoexistenceTelemetry.Webhooks.Add(1, new(CoexistenceTelemetry.OutcomeTag, "rejected"), new(CoexistenceTelemetry.ReasonTag, problem.Code),
            new(CoexistenceTelemetry.KindTag, "unknown"));
        return Refuse(problem);
    }

    /// <summary>GET: Meta's subscription handshake. The challenge is echoed as plain text only for a known verify token.</summary>
    public HttpAnswer Verify(Func<string, string?> query)
    {
        var mode = query("hub.mode");
        var token = query("hub.verify_token");
        var challenge = query("hub.challenge");
        var known = token is not null && authOptions.ActiveVerifyTokens.Aggregate(false, (found, t) => found | WebhookAuthenticator.FixedTimeEquals(t, token));
        if (mode != "subscribe" || !known || string.IsNullOrEmpty(challenge) || challenge.Length > MaxChallengeLength)
        {
            logger.LogWarning("Webhook subscription verification refused (mode {Mode}, known token {KnownToken})", mode == "subscribe" ? mode : "other", known);
            return new HttpAnswer(403, HttpAnswer.TextContentType, Encoding.UTF8.GetBytes("Forbidden"));
        }
        return new HttpAnswer(200, HttpAnswer.TextContentType, Encoding.UTF8.GetBytes(challenge));
    }

    private HttpAnswer Refuse(Problem problem)
    {
        logger.LogWarning("Webhook refused with {Status}: {ProblemCode} at {Pointer}", problem.Status, problem.Code, problem.Pointer);
        return HttpAnswer.ForProblem(problem);
    }

    /// <summary>application/json or any +json type; a charset, if given, must be UTF-8. A missing header is taken as JSON.</summary>
    internal static bool IsJsonContentType(string? value, out string? why)
    {
        why = null;
        if (string.IsNullOrWhiteSpace(value)) return true;
        if (!MediaTypeHeaderValue.TryParse(value, out var parsed) || parsed.MediaType is null)
        {
            why = "The Content-Type header cannot be parsed; send application/json.";
            return false;
        }
        var media = parsed.MediaType.ToLowerInvariant();
        if (media != "application/json" && !(media.StartsWith("application/", StringComparison.Ordinal) && media.EndsWith("+json", StringComparison.Ordinal)))
        {
            why = $"Content-Type {media} is not accepted; send application/json.";
            return false;
        }
        if (parsed.CharSet is { } charset && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            why = $"Charset {charset} is not accepted; webhooks are UTF-8.";
            return false;
        }
        return true;
    }

    /// <summary>Read size when the body's length is unknown, and of the probe that finds the end of a presized body.</summary>
    internal const int ChunkBytes = 81920;

    /// <summary>
    /// The body, or null when it is longer than <paramref name="maxBytes"/>. The limit is enforced on the bytes as they
    /// arrive, never on the header: <paramref name="declaredLength"/> (Content-Length) only presizes the buffer, capped
    /// at the limit, so that a body of the announced length is read in place with no copy and no growth. A lying header
    /// costs at most one buffer of the limit's size, and a body longer than announced is still read (and counted).
    /// </summary>
    internal static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(Stream body, int maxBytes, long? declaredLength, CancellationToken cancellationToken)
    {
        var buffer = declaredLength is > 0 ? new byte[Math.Min(declaredLength.Value, maxBytes)] : [];
        var filled = 0;
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (true)
            {
                if (filled < buffer.Length)
                {
                    // Room left (never beyond the limit: the buffer is at most maxBytes long): read straight into it.
                    var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                    if (read == 0) break;
                    filled += read;
                    continue;
                }
                // Full, or nothing announced: is there more?
                var more = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken);
                if (more == 0) break;
                if ((long)filled + more > maxBytes) return null;
                var grown = new byte[Math.Min(maxBytes, Math.Max((long)filled + more, 2L * buffer.Length))];
                buffer.AsSpan(0, filled).CopyTo(grown);
                chunk.AsSpan(0, more).CopyTo(grown.AsSpan(filled));
                buffer = grown;
                filled += more;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.AsMemory(0, filled);
    }

    /// <summary>The Content-Length header as a number, or null when absent or not a non-negative integer.</summary>
    internal static long? DeclaredLength(string? contentLength) =>
        long.TryParse(contentLength, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) ? length : null;
}
