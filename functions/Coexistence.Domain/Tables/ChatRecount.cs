namespace Coexistence.Tables;

/// <summary>What a recount of a number's chats did: chats looked at, and summaries that were wrong or missing.</summary>
public sealed record ChatRecount(int Chats, int Corrected);
