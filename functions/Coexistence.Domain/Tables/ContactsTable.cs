using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Storage;

namespace Coexistence.Tables;

/// <summary>
/// The layout of the Contacts table (docs/data-model.md): PartitionKey = phone_number_id, RowKey = the contact's
/// number (digits), or the business-scoped user id of a person known only by it; one row per contact holding its
/// winning action; removed contacts stay, marked removed.
/// </summary>
internal static class ContactsTable
{
    public static class Columns
    {
        public const string PhoneNumber = "PhoneNumber";
        public const string Removed = "Removed";
        public const string LastAction = "LastAction";
        public const string ActionAt = "ActionAt";
        public const string RemovedAt = "RemovedAt";
        public const string FullName = "FullName";
        public const string FirstName = "FirstName";
        public const string UserId = "UserId";
        public const string ParentUserId = "ParentUserId";
        public const string Username = "Username";
    }

    public static TableEntity ToRow(string phoneNumberId, ContactAction action)
    {
        var row = new TableEntity(phoneNumberId, action.ContactId)
        {
            [Columns.Removed] = action.IsRemove,
            [Columns.LastAction] = action.IsRemove ? "remove" : "add",
            [Columns.ActionAt] = action.Timestamp,
        };
        if (action.IsRemove) row[Columns.RemovedAt] = action.Timestamp;
        if (action.FullName is not null) row[Columns.FullName] = action.FullName;
        if (action.FirstName is not null) row[Columns.FirstName] = action.FirstName;
        if (action.PhoneNumber is not null) row[Columns.PhoneNumber] = action.PhoneNumber;
        if (action.UserId is not null) row[Columns.UserId] = action.UserId;
        if (action.ParentUserId is not null) row[Columns.ParentUserId] = action.ParentUserId;
        if (action.Username is not null) row[Columns.Username] = action.Username;
        return row;
    }

    /// <summary>The action a row holds: a removed contact is a remove at its <c>ActionAt</c> (which is its <c>RemovedAt</c>).</summary>
    public static ContactAction ReadAction(TableEntity row) =>
        new(row.RowKey, IsRemoved(row), row.GetInt64(Columns.ActionAt) ?? 0, row.GetString(Columns.FullName), row.GetString(Columns.FirstName),
            row.GetString(Columns.UserId), row.GetString(Columns.ParentUserId), row.GetString(Columns.Username));

    /// <summary>The contacts of people known only by business-scoped user id (<see cref="Webhooks.UserIds.KeyRangeStart"/>).</summary>
    public static string UserIdRowsFilter(string phoneNumberId) =>
        TableFilters.Range(phoneNumberId, Webhooks.UserIds.KeyRangeStart, Webhooks.UserIds.KeyRangeEnd);

    public static bool IsRemoved(TableEntity row) => row.GetBoolean(Columns.Removed) == true;
}
