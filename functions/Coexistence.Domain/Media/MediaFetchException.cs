namespace Coexistence.Media;

/// <summary>
/// A download that failed: <see cref="Permanent"/> ones (the id expired: 404/410; refused: 400/401/403; too large; the hash
/// does not match) are recorded and never retried; the others (429, 5xx, timeouts, truncated bodies) are retried later,
/// not before <see cref="RetryAfter"/> when the provider said so. <see cref="CountsAsError"/>: a failed request to the
/// provider, which its throttling counts. The message is a short reason: no URL, no token.
/// </summary>
internal sealed class MediaFetchException(string reason, bool permanent, TimeSpan? retryAfter = null, Exception? inner = null,
    bool countsAsError = true) : Exception(reason, inner)
{
    public bool Permanent { get; } = permanent;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public bool CountsAsError { get; } = countsAsError;
}
