using Coexistence.Model;

namespace Coexistence.Tables;

/// <summary>
/// What a write of messages did: its table batches, whether it wrote to a superseded chat (<see cref="ChatSummary.Superseded"/>),
/// and the media follow-ups that were waiting for its messages and are applied now (their media can be archived now).
/// </summary>
internal readonly record struct MessageWrite(int Batches, bool ReachedSupersededChat, IReadOnlyList<MediaFollowUp>? AppliedMediaFollowUps = null);
