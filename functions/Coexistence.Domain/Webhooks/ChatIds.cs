namespace Coexistence.Webhooks;

/// <summary>
/// A chat is one customer of a business number: its id is the customer's phone in digits whenever a phone is known,
/// else the customer's business-scoped user id (<see cref="UserIds"/>). Digits and BSUIDs never look alike (a BSUID
/// starts with two letters), and neither needs key encoding.
/// </summary>
public static class ChatIds
{
    /// <summary>A phone number (normalized to digits, <see cref="PhoneNumbers.TryNormalize"/>) or a valid BSUID (as is).</summary>
    public static bool TryNormalize(string? raw, out string chatId)
    {
        if (PhoneNumbers.TryNormalize(raw, out chatId)) return true;
        if (UserIds.IsValid(raw)) { chatId = raw!; return true; }
        chatId = "";
        return false;
    }
}
