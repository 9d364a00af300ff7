namespace Coexistence.Cli;

/// <summary>Turns the command line's files and folders into the list of files to ingest.</summary>
internal static class WebhookFiles
{
    /// <summary>Arguments in the order given; a folder becomes every *.json file under it, in ordinal path order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else
                files.Add(path);
        }
        return files;
    }
}
