using BenchmarkDotNet.Running;
using Coexistence.Benchmarks.Harness;

// `throughput` and `door-latency` are harness runs against Azurite; anything else goes to BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "throughput" => await ThroughputRun.RunAsync(args[1..]),
    "door-latency" => await DoorLatencyRun.RunAsync(args[1..]),
    _ => Benchmarks(args),
};

static int Benchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
