namespace Coexistence.Webhooks;

public static class WebhookKinds
{
    /// <summary>Every kind, in the order operators see them (history, contacts, echoes).</summary>
    public static IReadOnlyList<WebhookKind> All { get; } = [WebhookKind.History, WebhookKind.ContactSync, WebhookKind.MessageEchoes];

    public const string HistoryField = "history";
    public const string ContactSyncField = "smb_app_state_sync";
    public const string MessageEchoesField = "smb_message_echoes";

    /// <summary>Maps a webhook field / event name to a kind we process; null for fields we only archive.</summary>
    public static WebhookKind? FromField(string field) => field switch
    {
        HistoryField => WebhookKind.History,
        ContactSyncField => WebhookKind.ContactSync,
        MessageEchoesField => WebhookKind.MessageEchoes,
        _ => null,
    };

    public static string ToField(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => HistoryField,
        WebhookKind.ContactSync => ContactSyncField,
        WebhookKind.MessageEchoes => MessageEchoesField,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The array inside the change value that carries this kind's items.</summary>
    public static string PayloadArrayName(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => "history",
        WebhookKind.ContactSync => "state_sync",
        WebhookKind.MessageEchoes => "message_echoes",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
