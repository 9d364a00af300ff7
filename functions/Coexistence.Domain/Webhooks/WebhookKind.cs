namespace Coexistence.Webhooks;

/// <summary>The webhook kinds the pipeline turns into rows. Every other field is accepted and archived only.</summary>
public enum WebhookKind
{
    History,
    ContactSync,
    MessageEchoes,
}
