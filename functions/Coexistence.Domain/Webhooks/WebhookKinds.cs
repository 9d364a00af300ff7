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

    /// <summary>
    /// The arrays a change value of this kind may carry its items in (at least one of them is required): for history,
    /// chunks (<c>history</c>), media follow-ups (<c>messages</c>, and for media the business sent, <c>message_echoes</c>)
    /// and a decline at the value's level (<c>errors</c>); for the other kinds, <see cref="PayloadArrayName"/> alone.
    /// </summary>
    public static IReadOnlyList<string> ItemArrays(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => HistoryItemArrays,
        WebhookKind.ContactSync => ContactSyncItemArrays,
        WebhookKind.MessageEchoes => MessageEchoesItemArrays,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // One array each, built once: the door asks for them for every change.
    private static readonly string[] HistoryItemArrays = ["history", "messages", "message_echoes", "errors"];
    private static readonly string[] ContactSyncItemArrays = ["state_sync"];
    private static readonly string[] MessageEchoesItemArrays = ["message_echoes"];

    /// <summary>The array inside the change value that carries this kind's items.</summary>
    public static string PayloadArrayName(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => "history",
        WebhookKind.ContactSync => "state_sync",
        WebhookKind.MessageEchoes => "message_echoes",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
