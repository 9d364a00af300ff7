namespace Coexistence.Cli;

/// <summary>A failure of storage or the queues that the domain reported as an outcome rather than an exception.</summary>
internal sealed class InfrastructureFailureException(string message) : Exception(message);
