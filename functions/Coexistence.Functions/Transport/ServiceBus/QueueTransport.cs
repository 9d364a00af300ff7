using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Coexistence.Functions;

/// <summary>
/// The Service Bus transport (QueueTransport=ServiceBus), the production one. The client is registered
/// once through Microsoft.Extensions.Azure from the <c>ServiceBusConnection</c> settings the triggers
/// also use: <c>ServiceBusConnection__fullyQualifiedNamespace</c> with a managed identity in Azure, or
/// a connection string in <c>ServiceBusConnection</c> (local emulator).
/// </summary>
internal static class QueueTransport
{
    public const string Name = "ServiceBus";
    public const string ConnectionName = "ServiceBusConnection";

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAzureClients(clients =>
        {
            // The door sends with this client, and the consumers schedule their retry copies with it: retries that fit inside
            // the senders' 5 s (ServiceBusDoorRetries); a retry copy that cannot be scheduled leaves its message abandoned.
            if (configuration[ConnectionName] is { Length: > 0 } connectionString)
                clients.AddServiceBusClient(connectionString).ConfigureOptions(Coexistence.Queueing.ServiceBusDoorRetries.Apply);
            else
            {
                var section = configuration.GetSection(ConnectionName);
                var fullyQualifiedNamespace = section["fullyQualifiedNamespace"] is { Length: > 0 } ns
                    ? ns
                    : throw new InvalidOperationException(
                        $"Setting {ConnectionName}__fullyQualifiedNamespace (or a {ConnectionName} connection string) is missing.");
                clients.AddServiceBusClientWithNamespace(fullyQualifiedNamespace).WithCredential(AzureCredentials.For(section))
                    .ConfigureOptions(Coexistence.Queueing.ServiceBusDoorRetries.Apply);
            }
        });
        services.AddServiceBusTransport(configuration);
        services.AddSingleton<ServiceBus.ServiceBusConsumer>();
    }
}
