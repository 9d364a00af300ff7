using System.Globalization;

namespace Coexistence.Benchmarks.Harness;

/// <summary>"--name value" options of the harness commands.</summary>
public sealed class Arguments(string[] args)
{
    public int Int(string name, int fallback)
    {
        var at = Array.IndexOf(args, "--" + name);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"--{name} needs a positive whole number");
        return value;
    }

    public bool Has(string name) => Array.IndexOf(args, "--" + name) >= 0;
}
