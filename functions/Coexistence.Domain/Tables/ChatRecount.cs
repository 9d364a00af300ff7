using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Coexistence.Model;
using Coexistence.Processing;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tables;

/// <summary>What a recount of a number's chats did: chats looked at, and summaries that were wrong or missing.</summary>
public sealed record ChatRecount(int Chats, int Corrected);
