namespace Coexistence.Webhooks;

/// <summary>The webhook kinds the pipeline turns into rows. Every other field is accepted and archived only.</summary>
public enum WebhookKind
{
    History,
    ContactSync,
    MessageEchoes,
    /// <summary>The ordinary <c>messages</c> field: inbound messages of every type, the customer's edits and revokes, and statuses.</summary>
    Messages,
    /// <summary>
    /// <c>account_update</c>: a WABA's lifecycle events (partner removed, offboarded, reconnected, ...). It names a WABA (and
    /// perhaps a display number), not a <c>phone_number_id</c>: the consumer attributes it to the WABA's numbers.
    /// </summary>
    AccountUpdate,
}
