namespace Coexistence.Model;

/// <summary>
/// One status of a message the business sent (<c>statuses[]</c> of the <c>messages</c> field): <c>sent</c>,
/// <c>delivered</c>, <c>read</c> or <c>failed</c> (with its error), at a time. A message's statuses are a set: each
/// distinct one is kept, whatever order or how often they arrive, and <see cref="DeliveryState"/> reads the set.
/// <see cref="Status"/> is lower case; <see cref="RecipientId"/> is the customer's phone in digits, when given, and
/// <see cref="RecipientUserId"/> their business-scoped user id.
/// </summary>
internal sealed record MessageStatus(string MessageId, string Status, long Timestamp, string? RecipientId, WebhookError? Error,
    string? RecipientUserId = null)
{
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    /// <summary>
    /// The order in which statuses supersede each other: sent &lt; delivered &lt; read &lt; failed (a failure is never hidden
    /// by an earlier success); any other status (<c>deleted</c>, <c>warning</c>, ...) is kept but ranks below them all.
    /// </summary>
    public static int Rank(string status) => status switch
    {
        Sent => 1,
        Delivered => 2,
        Read => 3,
        Failed => 4,
        _ => 0,
    };
}
