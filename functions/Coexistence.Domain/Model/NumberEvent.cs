namespace Coexistence.Model;

/// <summary>A lifecycle event attributed to a number: the event, and the webhook that carried it (first received at <see cref="ReceivedAt"/>).</summary>
public sealed record NumberEvent(AccountEvent Event, string? WabaId, DateTimeOffset ReceivedAt, string WebhookId, string ChangeId);
