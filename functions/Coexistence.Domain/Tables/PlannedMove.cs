using Azure.Data.Tables;
using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>A stored message (<see cref="Row"/>) that a new copy (<see cref="Message"/>) moves to an earlier key.</summary>
internal sealed record PlannedMove(ChatMessage Message, TableEntity Row);
