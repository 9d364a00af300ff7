using System.Diagnostics;

namespace Coexistence.Benchmarks.Harness;

/// <summary>
/// Peak memory above a baseline taken at the start: the managed heap (GC.GetTotalMemory, sampled) and
/// the process working set (sampled, and Linux's VmHWM reset through /proc/self/clear_refs when allowed).
/// </summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly long heapBaseline;
    private readonly long workingSetBaseline;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;
    private readonly bool peakReset;
    private long heapPeak;
    private long workingSetPeak;

    private MemorySampler()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        heapBaseline = GC.GetTotalMemory(forceFullCollection: false);
        using var process = Process.GetCurrentProcess();
        workingSetBaseline = process.WorkingSet64;
        peakReset = TryResetPeak();
        heapPeak = heapBaseline;
        workingSetPeak = workingSetBaseline;
        sampling = Task.Run(SampleAsync);
    }

    public static MemorySampler Start() => new();

    public long HeapPeakAboveBaseline => Math.Max(0, heapPeak - heapBaseline);
    public long WorkingSetPeakAboveBaseline => Math.Max(0, workingSetPeak - workingSetBaseline);

    private async Task SampleAsync()
    {
        using var process = Process.GetCurrentProcess();
        while (!stop.IsCancellationRequested)
        {
            Sample(process);
            try { await Task.Delay(5, stop.Token); } catch (OperationCanceledException) { }
        }
        Sample(process);
    }

    private void Sample(Process process)
    {
        heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
        process.Refresh();
        workingSetPeak = Math.Max(workingSetPeak, process.WorkingSet64);
        if (peakReset) workingSetPeak = Math.Max(workingSetPeak, process.PeakWorkingSet64);
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set size, so the process peak covers only this run.</summary>
    private static bool TryResetPeak()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return false;
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }
}
