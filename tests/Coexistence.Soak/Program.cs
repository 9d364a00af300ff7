using Coexistence.Soak;

// Usage: dotnet run -c Release --project tests/Coexistence.Soak -- [--businesses N] [--seed N] [--fault-rate P]
//        [--senders N] [--workers N] [--max-minutes N]
var options = SoakOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: soak [--businesses 40] [--seed 1] [--fault-rate 0.05] [--senders 8] [--workers 4] [--max-minutes 20]");
    return 2;
}
var report = await new SoakRun(options).RunAsync();
Console.WriteLine(report);
return report.Passed ? 0 : 1;
