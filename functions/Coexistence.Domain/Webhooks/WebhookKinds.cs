namespace Coexistence.Webhooks;

public static class WebhookKinds
{
    /// <summary>Every kind, in the order operators see them (history, contacts, echoes, messages).</summary>
    public static IReadOnlyList<WebhookKind> All { get; } =
        [WebhookKind.History, WebhookKind.ContactSync, WebhookKind.MessageEchoes, WebhookKind.Messages, WebhookKind.AccountUpdate];

    public const string HistoryField = "history";
    public const string ContactSyncField = "smb_app_state_sync";
    public const string MessageEchoesField = "smb_message_echoes";
    public const string MessagesField = "messages";
    public const string AccountUpdateField = "account_update";

    /// <summary>
    /// Meta delivers statuses in the <c>messages</c> field; a provider that names them <c>statuses</c> is read the same way
    /// (the kind's field stays <see cref="MessagesField"/>).
    /// </summary>
    public const string StatusesField = "statuses";

    /// <summary>Maps a webhook field / event name to a kind we process; null for fields we only archive.</summary>
    /// <summary>Fields Meta documents that stay archive-only here: logged by name.</summary>
    private static readonly HashSet<string> KnownArchiveOnlyFields =
    [
        "account_update", "account_alerts", "account_review_update", "business_capability_update", "business_status_update",
        "message_template_status_update", "message_template_quality_update", "message_template_components_update", "template_category_update",
        "phone_number_name_update", "phone_number_quality_update", "security", "user_preferences", "partner_solutions", "payment_configuration_update",
        "flows", "calls", "smb_app_state_sync", "history", "smb_message_echoes", "messages", "statuses",
    ];

    /// <summary>
    /// A change's <c>field</c> as logs and telemetry may show it: a field Meta documents by name, anything else as
    /// <c>other</c> (the sender chooses it: up to 256 characters of anything; the archive keeps it).
    /// </summary>
    public static string LoggableField(string? field) =>
        field is not null && (FromField(field) is not null || KnownArchiveOnlyFields.Contains(field)) ? field : "other";

    public static WebhookKind? FromField(string field) => field switch
    {
        HistoryField => WebhookKind.History,
        ContactSyncField => WebhookKind.ContactSync,
        MessageEchoesField => WebhookKind.MessageEchoes,
        MessagesField or StatusesField => WebhookKind.Messages,
        AccountUpdateField => WebhookKind.AccountUpdate,
        _ => null,
    };

    public static string ToField(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => HistoryField,
        WebhookKind.ContactSync => ContactSyncField,
        WebhookKind.MessageEchoes => MessageEchoesField,
        WebhookKind.Messages => MessagesField,
        WebhookKind.AccountUpdate => AccountUpdateField,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The arrays a change value of this kind may carry its items in (at least one of them is required): for history,
    /// chunks (<c>history</c>), media follow-ups (<c>messages</c>, and for media the business sent, <c>message_echoes</c>)
    /// and a decline at the value's level (<c>errors</c>); for <c>messages</c>, messages, statuses or the platform's
    /// <c>errors</c>; for the other kinds, <see cref="PayloadArrayName"/> alone.
    /// </summary>
    public static IReadOnlyList<string> ItemArrays(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => HistoryItemArrays,
        WebhookKind.ContactSync => ContactSyncItemArrays,
        WebhookKind.MessageEchoes => MessageEchoesItemArrays,
        WebhookKind.Messages => MessagesItemArrays,
        WebhookKind.AccountUpdate => AccountUpdateItemArrays,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // One array each, built once: the door asks for them for every change.
    private static readonly string[] HistoryItemArrays = ["history", "messages", "message_echoes", "errors"];
    private static readonly string[] ContactSyncItemArrays = ["state_sync"];
    private static readonly string[] MessageEchoesItemArrays = ["message_echoes"];
    // A messages value carries messages, statuses, or only errors of the platform (kept in the archive).
    private static readonly string[] MessagesItemArrays = ["messages", "statuses", "errors"];
    // An account_update value is one event, not an array of items.
    private static readonly string[] AccountUpdateItemArrays = [];

    /// <summary>The array inside the change value that carries this kind's items.</summary>
    public static string PayloadArrayName(this WebhookKind kind) => kind switch
    {
        WebhookKind.History => "history",
        WebhookKind.ContactSync => "state_sync",
        WebhookKind.MessageEchoes => "message_echoes",
        WebhookKind.Messages => "messages",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
