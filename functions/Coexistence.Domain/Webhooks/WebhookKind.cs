namespace Coexistence.Webhooks;

/// <summary>The webhook kinds the pipeline turns into rows. Every other field is accepted and archived only.</summary>
public enum WebhookKind
{
    History,
    ContactSync,
    MessageEchoes,
    /// <summary>The ordinary <c>messages</c> field: inbound messages of every type, the customer's edits and revokes, and statuses.</summary>
    Messages,
}
