namespace Coexistence.Queries;

/// <summary>A page of a listing with the positions of its neighbours (null: nothing there).</summary>
internal sealed record QueryPage<T>(IReadOnlyList<T> Items, PagePosition? Next, PagePosition? Previous)
{
    public QueryPage<TOut> Select<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Next, Previous);

    /// <summary>
    /// The page for rows already read in listing order: <paramref name="rows"/> holds up to
    /// <paramref name="size"/> + 1 rows on the requested side of the position (the extra one only
    /// tells that there is more).
    /// </summary>
    internal static QueryPage<T> From<TRow>(IReadOnlyList<TRow> rows, PagePosition from, int size, Func<TRow, string> key, Func<TRow, T> view)
    {
        var more = rows.Count > size;
        var taken = from.Direction == PageDirection.After
            ? rows.Take(size).ToList()
            : rows.Skip(Math.Max(0, rows.Count - size)).ToList();
        if (taken.Count == 0) return new QueryPage<T>([], null, null);
        var after = new PagePosition(PageDirection.After, key(taken[^1]));
        var before = new PagePosition(PageDirection.Before, key(taken[0]));
        // Moving away from an open end (the first or the latest page), there is nothing on that side.
        return from.Direction == PageDirection.After
            ? new QueryPage<T>(taken.Select(view).ToList(), more ? after : null, from.IsOpenEnd ? null : before)
            : new QueryPage<T>(taken.Select(view).ToList(), from.IsOpenEnd ? null : after, more ? before : null);
    }

    /// <summary>A page of a list sorted in memory by <paramref name="key"/> (ordinal).</summary>
    internal static QueryPage<T> Slice(IReadOnlyList<T> sorted, PagePosition from, int size, Func<T, string> key)
    {
        IEnumerable<T> side = from.Direction == PageDirection.After
            ? sorted.Where(x => from.IsOpenEnd || string.CompareOrdinal(key(x), from.Key) > 0).Take(size + 1)
            : sorted.Where(x => from.IsOpenEnd || string.CompareOrdinal(key(x), from.Key) < 0).TakeLast(size + 1);
        return From(side.ToList(), from, size, key, x => x);
    }
}
