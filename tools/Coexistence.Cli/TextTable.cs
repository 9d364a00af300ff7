namespace Coexistence.Cli;

/// <summary>Plain columns separated by two spaces, padded to the widest cell; the last column is not padded.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public bool ShowHeader { get; init; } = true;

    public void Add(params string[] cells) => rows.Add(cells);

    public void WriteTo(TextWriter output)
    {
        var all = ShowHeader ? rows.Prepend(headers).ToList() : rows;
        var widths = headers.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
            output.WriteLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
    }
}
