namespace Coexistence.Tables;

/// <summary>What a write of messages did: its table batches, and whether it wrote to a superseded chat (<see cref="ChatSummary.Superseded"/>).</summary>
internal readonly record struct MessageWrite(int Batches, bool ReachedSupersededChat);
