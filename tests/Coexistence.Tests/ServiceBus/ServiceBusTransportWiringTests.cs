using Coexistence.Functions;
using Coexistence.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Tests.ServiceBus;

/// <summary>
/// The Service Bus flavour's wiring (its <c>QueueTransport</c>, which the tests compile), checked without a host or a broker:
/// the container builds with validation and creates every Service Bus function with the domain's consumer behind it.
/// </summary>
public class ServiceBusTransportWiringTests
{
    [Fact]
    public async Task The_Service_Bus_flavour_s_container_creates_every_Service_Bus_function()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // A connection string is parsed, never dialled, until something is sent.
            [QueueTransport.ConnectionName] = "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==",
        }).Build();
        var services = new ServiceCollection();
        services.AddCoexistence(configuration, _ => StorageClients.FromConnectionString(Azurite.ConnectionString));
        QueueTransport.Register(services, configuration);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<ServiceBusChangeQueue>(provider.GetRequiredService<IChangeQueue>());
        Assert.Equal(ServiceBusChangeQueue.DefaultClaimCheckThresholdBytes, provider.GetRequiredService<IntakeOptions>().ClaimCheckThresholdBytes);
        foreach (var function in new[]
                 {
                     typeof(Coexistence.Functions.ServiceBus.ProcessHistory), typeof(Coexistence.Functions.ServiceBus.ProcessContactSync),
                     typeof(Coexistence.Functions.ServiceBus.ProcessMessageEchoes), typeof(Coexistence.Functions.ServiceBus.ProcessMessages),
                 })
            Assert.NotNull(ActivatorUtilities.CreateInstance(provider, function));
    }
}
