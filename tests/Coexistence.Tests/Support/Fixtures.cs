namespace Coexistence.Tests.Support;

/// <summary>The webhook bodies under Fixtures/ (test corpus) and samples/ (the quick start's), copied next to the tests.</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");
    public static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "samples");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));
    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name));
}
