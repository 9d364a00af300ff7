using System.Reflection;

namespace Coexistence.Tests.Support;

/// <summary>The repository this test assembly was built from.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(string relative) => Path.Combine(Root, relative);
}
