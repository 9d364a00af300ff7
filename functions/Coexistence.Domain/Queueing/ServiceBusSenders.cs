using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Coexistence.Storage;
using Coexistence.Webhooks;

namespace Coexistence.Queueing;

/// <summary>
/// One sender per Service Bus queue on the app's client, created when first needed and shared by the door
/// (<see cref="ServiceBusChangeQueue"/>) and the consumers' retry copies (<see cref="ServiceBusChangeConsumer"/>).
/// </summary>
internal sealed class ServiceBusSenders(ServiceBusClient client, StorageNames names) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> senders = new();

    public ServiceBusSender For(WebhookKind kind) => senders.GetOrAdd(names.QueueFor(kind), client.CreateSender);

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in senders.Values) await sender.DisposeAsync();
    }
}
