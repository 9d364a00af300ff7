using Coexistence.Processing;

namespace Coexistence.Queueing;

/// <summary>
/// How a received Service Bus message is to be settled (<see cref="ServiceBusChangeConsumer"/> decides, the function
/// settles): with the processing result when there is one, the dead-letter reason and description, or the failure an
/// abandoned message is rethrown with.
/// </summary>
public sealed record ServiceBusSettlement(
    ServiceBusSettlementAction Action,
    ProcessingResult? Result = null,
    string? DeadLetterReason = null,
    string? DeadLetterDescription = null,
    Exception? Failure = null)
{
    /// <summary>The dead-letter reason for messages the processor rejected; the description says why.</summary>
    public const string UnprocessableReason = "Unprocessable";

    public static ServiceBusSettlement Complete(ProcessingResult? result = null) => new(ServiceBusSettlementAction.Complete, result);

    public static ServiceBusSettlement DeadLetter(string reason, string description, ProcessingResult? result = null) =>
        new(ServiceBusSettlementAction.DeadLetter, result, reason, description);

    public static ServiceBusSettlement Abandon(Exception failure) => new(ServiceBusSettlementAction.Abandon, Failure: failure);
}
