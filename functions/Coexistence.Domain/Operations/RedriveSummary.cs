using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Coexistence.Model;
using Coexistence.Processing;
using Coexistence.Changes;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Tables;
using Coexistence.Webhooks;

namespace Coexistence.Operations;

/// <summary>What a re-drive did: messages moved back to their queue, and (when drained here) how the drain went.</summary>
public sealed record RedriveSummary(int Redriven, bool Drained, int Processed, int PoisonedAgain, IReadOnlyList<ProcessingResult> Results);
