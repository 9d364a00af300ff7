namespace Coexistence.Queries;

/// <summary>
/// Where a page starts: the rows strictly after, or strictly before, a position of a listing. A
/// position is a sort key of the listing (a table RowKey, or a chat's activity key); the empty key is
/// the open end: <see cref="Start"/> and <see cref="End"/>.
/// </summary>
internal sealed record PagePosition(PageDirection Direction, string Key)
{
    public static PagePosition Start { get; } = new(PageDirection.After, "");
    public static PagePosition End { get; } = new(PageDirection.Before, "");

    public bool IsOpenEnd => Key.Length == 0;
}
