using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the Quarantine table (docs/data-model.md): PartitionKey = phone_number_id (<see cref="UnroutablePartition"/>
/// for a change message that names none);
/// <list type="bullet">
/// <item><c>item|{kind}|{webhookId}|{changeIndex}|{encoded pointer}</c>: one item set aside, the rest of its change kept;</item>
/// <item><c>change|{encoded changeId}</c>: a whole change message that can never be processed.</item>
/// </list>
/// Keys derive from the webhook, change and item position, so redeliveries overwrite, never multiply.
/// </summary>
internal static class QuarantineTable
{
    public const string UnroutablePartition = "unroutable";
    public const string ItemRowPrefix = "item|";
    public const string ChangeRowPrefix = "change|";

    public static class Columns
    {
        // An item row.
        public const string Kind = "Kind";
        public const string Reason = "Reason";
        public const string Pointer = "Pointer";
        public const string Item = "Item";
        public const string WebhookId = "WebhookId";
        public const string ChangeIndex = "ChangeIndex";
        public const string ArchiveBlob = "ArchiveBlob";
        public const string ReceivedAt = "ReceivedAt";
        // A change row: Reason, and
        public const string ChangeMessage = "ChangeMessage";
        public const string RecordedAt = "RecordedAt";
    }

    public static string ItemRowKey(WebhookKind kind, string webhookId, int changeIndex, string pointer) =>
        $"{ItemRowPrefix}{kind.ToField()}|{webhookId}|{changeIndex}|{KeyEncoding.Encode(pointer)}";

    public static string ChangeRowKey(string changeId) => ChangeRowPrefix + KeyEncoding.Encode(changeId);

    /// <summary>The change id of a change row's key; null for any other row.</summary>
    public static string? ChangeIdOf(string rowKey) =>
        rowKey.StartsWith(ChangeRowPrefix, StringComparison.Ordinal) ? KeyEncoding.Decode(rowKey[ChangeRowPrefix.Length..]) : null;
}
