using System.Text.RegularExpressions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// azure.yaml, read as text (no YAML library here): its top-level sections, and the scripts its hooks
/// run. Project-level hooks run from the repository root, a service's hooks from its project folder.
/// </summary>
internal static partial class AzureYaml
{
    public static string Text => File.ReadAllText(Repository.PathOf("azure.yaml"));

    /// <summary>The lines of the top-level key <paramref name="name"/>, up to the next top-level key.</summary>
    public static string Section(string name)
    {
        var match = Regex.Match(Text, $@"(?ms)^{Regex.Escape(name)}:[^\n]*\n(.*?)(?=^\S|\z)");
        Assert.True(match.Success, $"azure.yaml has no top-level '{name}:'.");
        return match.Groups[1].Value;
    }

    /// <summary>The <c>run:</c> paths of one section.</summary>
    public static string[] RunPaths(string section) => RunPath().Matches(section).Select(m => m.Groups[1].Value).ToArray();

    [GeneratedRegex(@"run: (\S+)")]
    private static partial Regex RunPath();
}
