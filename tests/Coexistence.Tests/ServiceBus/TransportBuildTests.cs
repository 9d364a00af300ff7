using System.Diagnostics;
using System.Text.Json;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.ServiceBus;

/// <summary>
/// The transport is picked at build time. The Service Bus flavour cannot be restored here, so its
/// project is evaluated (not built) with <c>dotnet msbuild -getItem</c> and its items checked.
/// </summary>
public class TransportBuildTests
{
    private const string ServiceBusExtension = "Microsoft.Azure.Functions.Worker.Extensions.ServiceBus";
    private const string StorageQueuesExtension = "Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues";

    [Fact]
    public void The_ServiceBus_flavour_references_the_extension_and_compiles_only_the_Service_Bus_functions()
    {
        var (packages, compiled) = Evaluate("ServiceBus");

        Assert.Contains(ServiceBusExtension, packages);
        Assert.DoesNotContain(StorageQueuesExtension, packages);
        Assert.Contains("Transport/ServiceBus/ProcessHistory.cs", compiled);
        Assert.Contains("Transport/ServiceBus/ProcessContactSync.cs", compiled);
        Assert.Contains("Transport/ServiceBus/ProcessMessageEchoes.cs", compiled);
        Assert.DoesNotContain(compiled, c => c.StartsWith("Transport/StorageQueue/", StringComparison.Ordinal));
        Assert.DoesNotContain(compiled, c => c.Contains("StandIn", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_flavour_uses_Storage_queues_and_leaves_Service_Bus_out()
    {
        var (packages, compiled) = Evaluate(null);

        Assert.Contains(StorageQueuesExtension, packages);
        Assert.DoesNotContain(ServiceBusExtension, packages);
        Assert.Contains("Transport/StorageQueue/ProcessHistory.cs", compiled);
        Assert.DoesNotContain(compiled, c => c.StartsWith("Transport/ServiceBus/", StringComparison.Ordinal));
    }

    private static (List<string> Packages, List<string> Compiled) Evaluate(string? transport)
    {
        var project = Repository.PathOf("functions/Coexistence.Functions/Coexistence.Functions.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "msbuild", project, "-getItem:PackageReference", "-getItem:Compile", "-nologo" }) start.ArgumentList.Add(arg);
        if (transport is not null) start.ArgumentList.Add($"-p:QueueTransport={transport}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "dotnet msbuild did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed: {output}{errors}");

        using var json = JsonDocument.Parse(output);
        var items = json.RootElement.GetProperty("Items");
        List<string> Identities(string name) => items.GetProperty(name).EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/')).ToList();
        return (Identities("PackageReference"), Identities("Compile"));
    }
}
