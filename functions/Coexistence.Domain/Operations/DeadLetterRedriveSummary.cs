using Azure.Messaging.ServiceBus;
using Coexistence.Storage;
using Coexistence.Tables;
using Coexistence.Model;
using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>What a dead-letter re-drive did.</summary>
public sealed record DeadLetterRedriveSummary(int Redriven, int Left);
