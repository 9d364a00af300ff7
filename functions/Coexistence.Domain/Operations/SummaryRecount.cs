using Coexistence.Tables;

namespace Coexistence.Operations;

/// <summary>
/// Recomputes a number's chat summaries from its message rows (<c>coexistence recount</c>): the repair for
/// summaries that counting writes cannot keep, after rows or summaries were deleted by hand.
/// </summary>
public sealed class SummaryRecount
{
    private readonly MessageStore messages;

    internal SummaryRecount(MessageStore messages) => this.messages = messages;

    public Task<ChatRecount> RunAsync(string phoneNumberId, CancellationToken cancellationToken) =>
        messages.RecountAllChatsAsync(phoneNumberId, cancellationToken);
}
