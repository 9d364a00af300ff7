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
        // Storage queues carry the media jobs in both flavours (docs/media.md): their trigger, and no change queue's.
        Assert.Contains(StorageQueuesExtension, packages);
        Assert.Contains("ProcessMediaJobs.cs", compiled);
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
        Assert.Contains("ProcessMediaJobs.cs", compiled);
        Assert.DoesNotContain(compiled, c => c.StartsWith("Transport/ServiceBus/", StringComparison.Ordinal));
    }

    /// <summary>
    /// The test project compiles the Service Bus transport against the stand-in, but with its own global usings and with
    /// the domain's internals visible: the deployable build has neither. So the transport's sources are also compiled here
    /// as the Function App would compile them (its root namespace, the domain assembly as a reference, only public types),
    /// against the stand-in: a file that relied on the tests' usings, or named an internal type, fails this.
    /// </summary>
    [Fact]
    public void The_Service_Bus_transport_compiles_without_the_test_project_s_usings_or_the_domain_s_internals()
    {
        var directory = Repository.PathOf("obj/service-bus-flavour-check"); // obj/ is ignored by git; the repository's props apply
        Directory.CreateDirectory(directory);
        var domain = typeof(ChangeProcessor).Assembly.Location;
        File.WriteAllText(Path.Combine(directory, "ServiceBusFlavourCheck.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <RootNamespace>Coexistence.Functions</RootNamespace>
                <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Azure.Functions.Worker" />
                <PackageReference Include="Microsoft.Extensions.Azure" />
                <PackageReference Include="Azure.Identity" />
                <PackageReference Include="Azure.Messaging.ServiceBus" />
                <PackageReference Include="Microsoft.Extensions.Options.ConfigurationExtensions" />
                <Reference Include="{domain}" />
                <Compile Include="{Repository.PathOf("functions/Coexistence.Functions/Transport/ServiceBus")}/**/*.cs" />
                <Compile Include="{Repository.PathOf("functions/Coexistence.Functions/AzureCredentials.cs")}" />
                <Compile Include="{Repository.PathOf("tests/Coexistence.Tests/ServiceBusStandIn")}/*.cs" />
              </ItemGroup>
            </Project>
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in new[] { "build", "ServiceBusFlavourCheck.csproj", "-nologo", "-v:q", "-p:UseSharedCompilation=false" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "dotnet build did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"the Service Bus transport does not compile as the Function App would: {output}{errors}");
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
