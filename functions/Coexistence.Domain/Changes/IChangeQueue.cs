namespace Coexistence.Changes;

/// <summary>
/// The seam between the door and the transport: Storage queues here (and locally), Service Bus in
/// production. An implementation returns only once the message is durably accepted by the broker.
/// </summary>
internal interface IChangeQueue
{
    Task SendAsync(ChangeMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
