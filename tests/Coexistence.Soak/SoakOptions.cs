using System.Globalization;

namespace Coexistence.Soak;

public sealed record SoakOptions(int Businesses = 40, int Seed = 1, double FaultRate = 0.05, int Senders = 8, int Workers = 4, int MaxMinutes = 20)
{
    public static SoakOptions? Parse(string[] args)
    {
        var o = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length) return null;
            var v = args[++i];
            o = args[i - 1] switch
            {
                "--businesses" => o with { Businesses = int.Parse(v, CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(v, CultureInfo.InvariantCulture) },
                "--fault-rate" => o with { FaultRate = double.Parse(v, CultureInfo.InvariantCulture) },
                "--senders" => o with { Senders = int.Parse(v, CultureInfo.InvariantCulture) },
                "--workers" => o with { Workers = int.Parse(v, CultureInfo.InvariantCulture) },
                "--max-minutes" => o with { MaxMinutes = int.Parse(v, CultureInfo.InvariantCulture) },
                _ => null,
            };
            if (o is null) return null;
        }
        return o is { Businesses: > 0 and <= 9999, FaultRate: >= 0 and < 0.5, Senders: > 0, Workers: > 0, MaxMinutes: > 0 } ? o : null;
    }
}
