using Coexistence.Http;

namespace Coexistence.Webhooks;

/// <summary>The result of reading a webhook body: its changes, or the one problem that makes it unacceptable.</summary>
internal sealed record WebhookReading(IReadOnlyList<WebhookChange> Changes, Problem? Problem)
{
    public bool IsAccepted => Problem is null;
    public static WebhookReading Rejected(Problem problem) => new([], problem);
}
