using Azure.Data.Tables;

namespace Coexistence.Tables;

/// <summary>
/// What the Numbers table says of one number when a change of it is processed: its registry row (null before its
/// first webhook) and its erasure rows (<c>x|...</c>), read in one query (<see cref="NumbersTable.RegistryAndErasuresFilter"/>).
/// </summary>
internal sealed record NumberSnapshot(string PhoneNumberId, TableEntity? RegistryRow, IReadOnlyList<TableEntity> ErasureRows);
