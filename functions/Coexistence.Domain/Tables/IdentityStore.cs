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
/// <see cref="ReconcileAsync"/> then moves every user-id chat and contact that has a link into the phone's. A change of
/// number or user id (<c>n|</c> rows, written blind) moves the old id's chat into the new one's, following chains
/// (<see cref="IdentityChange.Resolve"/>). Both sides write first and reconcile second, so at least one of them sees
/// the other, in any order of arrival; moving goes
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

    /// <summary>Records changes of number or user id (blind, one batch per 100). Returns the number of batches.</summary>
    public Task<int> RecordChangesAsync(string phoneNumberId, IReadOnlyList<IdentityChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return Task.FromResult(0);
        return TableBatches.SubmitAsync(Messages,
            changes.Distinct().Select(c => (IReadOnlyList<TableTransactionAction>)[new(TableTransactionActionType.UpsertReplace,
                MessagesTable.ChangeRow(phoneNumberId, c))]),
            MessageStore.Lanes, cancellationToken);
    }

    /// <summary>The phone a user id is linked to, or null.</summary>
    public async Task<string?> PhoneOfAsync(string phoneNumberId, string userId, CancellationToken cancellationToken) =>
        (await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.LinkRowKey(userId), cancellationToken))?.GetString(MessagesTable.Columns.Phone);

    /// <summary>
    /// Moves every chat into the one its customer is now (<see cref="IdentityChange.Resolve"/>), and every user-id contact
    /// that is linked to a phone into the phone's:
    /// <list type="bullet">
    /// <item>the chats of people known only by user id, found by one query of their summaries;</item>
    /// <item>the chats a change of number or user id left (its old id, and the phone that id is linked to), found by one
    /// query of the change rows. The summary of such a chat is marked <see cref="ChatSummary.Superseded"/> before its
    /// messages are looked at, so a writer that adds to it afterwards sees the mark and reconciles in turn (its write is
    /// conditional on the summary it read).</item>
    /// </list>
    /// Costs two queries and one of the user-id contacts when there is nothing to move. Returns how many chats and
    /// contacts moved.
    /// </summary>
    public async Task<int> ReconcileAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        var userIdChats = new List<string>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.UserIdSummaryRowsFilter(phoneNumberId),
                           select: [nameof(ITableEntity.RowKey), MessagesTable.Columns.ChatId], cancellationToken: cancellationToken))
            userIdChats.Add(ChatSummary.FromEntity(row).ChatId);
        var changes = new List<IdentityChange>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.ChangeRowsFilter(phoneNumberId), cancellationToken: cancellationToken))
            if (MessagesTable.ReadChangeRow(row) is { } change) changes.Add(change);

        // Each user id's link read once per reconciliation, for chats, changes and contacts alike.
        var links = new Dictionary<string, string?>(StringComparer.Ordinal);
        async Task<string?> ReadLinkAsync(string userId)
        {
            if (!links.TryGetValue(userId, out var phone)) links[userId] = phone = await PhoneOfAsync(phoneNumberId, userId, cancellationToken);
            return phone;
        }
        foreach (var userId in userIdChats.Concat(changes.SelectMany(c => new[] { c.OldId, c.NewId })).Where(id => !CustomerIdentity.IsPhoneId(id)))
            await ReadLinkAsync(userId);
        string? LinkedPhone(string id) => links.GetValueOrDefault(id);

        var moved = 0;
        foreach (var chatId in userIdChats)
            if (IdentityChange.Resolve(chatId, changes, LinkedPhone) is var target && target != chatId)
            {
                await MoveChatAsync(phoneNumberId, chatId, target, cancellationToken);
                moved++;
            }
        var left = changes.SelectMany(c => new[] { c.OldId, LinkedPhone(c.OldId) }).OfType<string>()
            .Where(CustomerIdentity.IsPhoneId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var chatId in left)
            if (await MarkSupersededAsync(phoneNumberId, chatId, cancellationToken) > 0
                && IdentityChange.Resolve(chatId, changes, LinkedPhone) is var target && target != chatId)
            {
                await MoveChatAsync(phoneNumberId, chatId, target, cancellationToken);
                moved++;
            }

        var userContacts = new List<TableEntity>();
        await foreach (var row in Contacts.QueryAsync<TableEntity>(ContactsTable.UserIdRowsFilter(phoneNumberId), cancellationToken: cancellationToken))
            userContacts.Add(row);
        foreach (var row in userContacts)
            if (await ReadLinkAsync(row.RowKey) is { } phone)
            {
                await MoveContactAsync(phoneNumberId, row, phone, cancellationToken);
                moved++;
            }
        return moved;
    }

    /// <summary>
    /// Marks a chat's summary superseded (creating it, empty, if need be) unless it is already; returns its message count
    /// as read after the mark.
    /// </summary>
    private async Task<long> MarkSupersededAsync(string phoneNumberId, string chatId, CancellationToken cancellationToken)
    {
        if (await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.SummaryRowKey(chatId), cancellationToken) is { } row
            && ChatSummary.FromEntity(row) is { Superseded: true } marked)
            return marked.MessageCount;
        await Messages.UpsertEntityAsync(new TableEntity(phoneNumberId, MessagesTable.SummaryRowKey(chatId))
        {
            [MessagesTable.Columns.ChatId] = chatId, [MessagesTable.Columns.Superseded] = true,
        }, TableUpdateMode.Merge, cancellationToken);
        return await TableRows.GetOrNullAsync(Messages, phoneNumberId, MessagesTable.SummaryRowKey(chatId), cancellationToken) is { } after
            ? ChatSummary.FromEntity(after).MessageCount
            : 0;
    }

    /// <summary>
    /// The messages of a chat written again as the target chat's (<see cref="Reroute"/>): the store merges each into its
    /// stored row, which moves to the target chat (a moved copy's chat wins), and recounts both chats.
    /// </summary>
    private async Task MoveChatAsync(string phoneNumberId, string chatId, string target, CancellationToken cancellationToken)
    {
        var rerouted = new List<ChatMessage>();
        await foreach (var row in Messages.QueryAsync<TableEntity>(MessagesTable.ChatRowsFilter(phoneNumberId, chatId), cancellationToken: cancellationToken))
            rerouted.Add(Reroute(MessagesTable.ReadChatRow(row).ToMessage(), chatId, target));
        logger.LogInformation("Moving {Count} messages of a chat whose customer has another id now in {PhoneNumberId}", rerouted.Count, phoneNumberId);
        await messages.WriteMessagesAsync(phoneNumberId, rerouted, cancellationToken);
    }

    /// <summary>
    /// A message of <paramref name="chatId"/>'s chat as <paramref name="target"/>'s: its chat, a moved copy; a user-id
    /// chat's id kept as the message's user id; and in a phone's chat, the customer's side naming the phone.
    /// </summary>
    internal static ChatMessage Reroute(ChatMessage message, string chatId, string target) =>
        (message with
        {
            ChatId = target,
            UserId = message.UserId ?? (CustomerIdentity.IsPhoneId(chatId) ? null : chatId),
            Moved = true,
        }).NamingItsChat();

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
