using Azure;
using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tables;

/// <summary>
/// Keeps one person in one chat and one contact whichever identifiers their items carry (docs/data-model.md,
/// "Customer identity"). A message or contact of a person known only by business-scoped user id is written under that
/// id; an item naming both the id and a phone records a link (<c>l|{userId}</c> in the Messages table, written blind);
/// <see cref="ReconcileAsync"/> then moves every user-id chat and contact that has a link into the phone's. Both sides
/// write first and reconcile second, so at least one of them sees the other, in any order of arrival; moving goes
/// through the message store's merge (one row per wamid, recounted) and the contact store's precedence, so it is
/// idempotent and a duplicate delivery after it changes nothing.
/// </summary>
internal sealed class IdentityStore(StorageClients storage, MessageStore messages, ContactStore contacts, ILogger<IdentityStore> logger)
{
    private const int MaxConflictRetries = 20;

    private TableClient Messages => storage.Table(storage.Names.MessagesTable);
    private TableClient Contacts => storage.Table(storage.Names.ContactsTable);

    /// <summary>Records links (one batch per 100). Returns the number of batches.</summary>
    public Task<int> RecordLinksAsync(string phoneNumberId, IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken)
    {
        if (links.Count == 0) return Task.FromResult(0);
        return TableBatches.SubmitAsync(Messages,
            links.Select(l => (IReadOnlyList<TableTransactionAction>)[new(TableTransactionActionType.UpsertReplace, new TableEntity(phoneNumberId,
                MessagesTable.LinkRowKey(l.UserId)) { [MessagesTable.Columns.UserId] = l.UserId, [MessagesTable.Columns.Phone] = l.Phone })]),
            MessageStore.Lanes, cancellationToken);
    }

    /// <summary>The phone a user id is linked to, or null.</summary>
    public async Task<string?> PhoneOfAsync(string phoneNumberId, string userId, CancellationToken cancellationToken) =>
        (await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.LinkRowKey(userId), cancellationToken))?.GetString(MessagesTable.Columns.Phone);

    /// <summary>
    /// Moves every chat and contact stored under a user id that is now linked to a phone into the phone's. Costs one
    /// query of the user-id chats' summaries and one of the user-id contacts when there is nothing to move. Returns how
    /// many chats and contacts moved.
    /// </summary>
    public async Task<int> ReconcileAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var moved = 0;
        var chats = new List<string>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.UserIdSummaryRowsFilter(phoneNumberId),
                           select: [nameof(ITableEntity.RowKey), MessagesTable.Columns.ChatId], cancellationToken: cancellationToken))
            chats.Add(ChatSummary.FromEntity(row).ChatId);
        foreach (var userId in chats)
            if (await PhoneOfAsync(phoneNumberId, userId, cancellationToken) is { } phone)
            {
                await MoveChatAsync(phoneNumberId, userId, phone, cancellationToken);
                moved++;
            }

        var userContacts = new List<TableEntity>();
        await foreach (var row in Contacts.QueryAsync<TableEntity>(ContactsTable.UserIdRowsFilter(phoneNumberId), cancellationToken: cancellationToken))
            userContacts.Add(row);
        foreach (var row in userContacts)
            if (await PhoneOfAsync(phoneNumberId, row.RowKey, cancellationToken) is { } phone)
            {
                await MoveContactAsync(phoneNumberId, row, phone, cancellationToken);
                moved++;
            }
        return moved;
    }

    /// <summary>
    /// The messages of a user-id chat written again as the phone's (the user id kept on each): the store merges each into
    /// its stored row, which moves to the phone's chat (the lower chat id), and recounts both chats.
    /// </summary>
    private async Task MoveChatAsync(string phoneNumberId, string userId, string phone, CancellationToken cancellationToken)
    {
        var rerouted = new List<ChatMessage>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.ChatRowsFilter(phoneNumberId, userId), cancellationToken: cancellationToken))
            rerouted.Add(Reroute(MessagesTable.ReadChatRow(row).ToMessage(), userId, phone));
        logger.LogInformation("Moving {Count} messages of a user-id chat into its phone's chat in {PhoneNumberId}", rerouted.Count, phoneNumberId);
        await messages.WriteMessagesAsync(phoneNumberId, rerouted, cancellationToken);
    }

    /// <summary>A message of <paramref name="userId"/>'s chat as the phone's: its chat, and where it named the user id, the phone.</summary>
    internal static ChatMessage Reroute(ChatMessage message, string userId, string phone) =>
        (message with { ChatId = phone, UserId = message.UserId ?? userId }).NamingItsChat();

    /// <summary>A user-id contact applied as the phone's (the contact store keeps the winning action), then removed, on its ETag.</summary>
    private async Task MoveContactAsync(string phoneNumberId, TableEntity row, string phone, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var action = ContactsTable.ReadAction(row);
            await contacts.ApplyAsync(phoneNumberId, [action with { ContactId = phone, UserId = action.UserId ?? row.RowKey }], cancellationToken);
            try
            {
                await Contacts.DeleteEntityAsync(phoneNumberId, row.RowKey, row.ETag, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxConflictRetries)
            {
                // A new action for the user id arrived meanwhile: apply it too.
                if (await TableRows.GetOrNullAsync(Contacts, phoneNumberId, row.RowKey, cancellationToken) is not { } current) return;
                row = current;
            }
        }
    }
}
