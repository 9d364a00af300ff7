namespace Coexistence.Tables;

/// <summary>
/// What the Webhooks registry knows of a body: when it was first received, and whether a delivery of it has queued
/// every one of its changes (then a redelivery needs no queueing again).
/// </summary>
internal readonly record struct WebhookReceipt(DateTimeOffset ReceivedAt, bool AllQueued);
