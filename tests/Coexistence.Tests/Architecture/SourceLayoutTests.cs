using System.Text.RegularExpressions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Architecture;

/// <summary>
/// The source projects read by their file names: one top-level type per file, named as the file, in the namespace
/// its folder names (docs/architecture.md).
/// </summary>
public partial class SourceLayoutTests
{
    public static TheoryData<string> SourceProjects => new("functions/Coexistence.Domain", "functions/Coexistence.Functions", "tools/Coexistence.Cli");

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial|record)\s+)*(?:class|record|enum|struct|interface)\s+(\w+)",
        RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    private static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(Repository.PathOf(project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)
                        && Path.GetFileName(f) != "Program.cs");

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Every_file_holds_one_type_named_as_the_file(string project)
    {
        var files = SourceFiles(project).ToList();
        Assert.NotEmpty(files);
        var wrong = files
            .Select(f => (File: Path.GetRelativePath(Repository.Root, f), Types: TopLevelType().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value).ToList()))
            .Where(f => f.Types.Count != 1 || f.Types[0] != Path.GetFileNameWithoutExtension(f.File))
            .Select(f => $"{f.File}: {string.Join(", ", f.Types)}")
            .ToList();
        Assert.True(wrong.Count == 0, "files that do not hold exactly the type they are named after:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Every_file_of_the_domain_is_in_the_namespace_of_its_folder()
    {
        var root = Repository.PathOf("functions/Coexistence.Domain");
        var wrong = SourceFiles("functions/Coexistence.Domain")
            .Select(f => (File: Path.GetRelativePath(root, f), Namespace: FileNamespace().Match(File.ReadAllText(f)).Groups[1].Value))
            .Where(f => f.Namespace != string.Join('.', ["Coexistence", .. Path.GetDirectoryName(f.File)!.Split('/', StringSplitOptions.RemoveEmptyEntries)]))
            .Select(f => $"{f.File}: {f.Namespace}")
            .ToList();
        Assert.True(wrong.Count == 0, "files outside the namespace of their folder:\n" + string.Join("\n", wrong));
    }
}
