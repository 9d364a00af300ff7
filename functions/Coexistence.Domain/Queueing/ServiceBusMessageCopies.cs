using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;

namespace Coexistence.Queueing;

/// <summary>
/// The copies of a received Service Bus message that go back to its queue: a consumer's retry copy (scheduled for
/// later, <see cref="ServiceBusChangeConsumer"/>) and an operator's re-drive of a dead letter
/// (<c>ServiceBusDeadLetters</c>). A copy keeps the body and every application property the consumer and the operator
/// read, and gets a MessageId of its own: the original's is still inside the queue's duplicate-detection window, and
/// the broker would silently drop a second message with it. The new id is <c>{original id}|{suffix}</c>, built from
/// the <em>original</em> id (never from a copy's), so it does not grow however often a change is retried or
/// re-driven, and stays within Service Bus's 128 characters (an original too long for that is hashed).
/// </summary>
public static class ServiceBusMessageCopies
{
    /// <summary>On a retry copy: the MessageId of the message the door sent (its change id).</summary>
    public const string RetryOfProperty = "retryOf";

    /// <summary>On a retry copy: how many attempts failed before it (the copy is attempt that many plus one).</summary>
    public const string FailedAttemptsProperty = "failedAttempts";

    /// <summary>On a re-driven copy: the MessageId of the message the door sent (its change id).</summary>
    public const string RedrivenFromProperty = "redrivenFrom";

    /// <summary>Service Bus refuses a longer MessageId.</summary>
    public const int MaxMessageIdLength = 128;

    private const string DeadLetterReasonProperty = "DeadLetterReason";
    private const string DeadLetterErrorDescriptionProperty = "DeadLetterErrorDescription";

    /// <summary>The MessageId of the message the door sent, which a copy names; a message that is no copy is its own original.</summary>
    public static string OriginalIdOf(ServiceBusReceivedMessage message) =>
        message.ApplicationProperties.TryGetValue(RetryOfProperty, out var retryOf) && retryOf is string { Length: > 0 } retried ? retried
        : message.ApplicationProperties.TryGetValue(RedrivenFromProperty, out var from) && from is string { Length: > 0 } redriven ? redriven
        : message.MessageId;

    /// <summary>How many attempts failed before this delivery: those before its copy, plus this message's earlier deliveries.</summary>
    public static int FailedAttemptsBefore(ServiceBusReceivedMessage message)
    {
        var beforeCopy = message.ApplicationProperties.TryGetValue(FailedAttemptsProperty, out var value) ? AsCount(value) : 0;
        return beforeCopy + Math.Max(0, message.DeliveryCount - 1);
    }

    /// <summary>
    /// The copy that retries <paramref name="message"/> after its <paramref name="failedAttempts"/>-th failed attempt. Its id
    /// names the failed message's sequence number: a redelivery of that same message (whose completion was lost) makes a
    /// copy of the same id, which duplicate detection drops instead of doubling the retries.
    /// </summary>
    public static ServiceBusMessage RetryCopy(ServiceBusReceivedMessage message, int failedAttempts)
    {
        var (copy, original) = CopyOf(message, "retry");
        copy.ApplicationProperties[RetryOfProperty] = original;
        copy.ApplicationProperties[FailedAttemptsProperty] = failedAttempts;
        return copy;
    }

    /// <summary>
    /// The copy that re-drives a dead-lettered message: same body and properties, no dead-letter marks, no count of failed
    /// attempts (a re-drive gets every attempt again). Its id names the dead letter's sequence number, so re-driving the
    /// same dead letter twice (the first completion lost) sends one copy.
    /// </summary>
    public static ServiceBusMessage RedriveCopy(ServiceBusReceivedMessage message)
    {
        var (copy, original) = CopyOf(message, "redrive");
        copy.ApplicationProperties.Remove(RetryOfProperty);
        copy.ApplicationProperties.Remove(FailedAttemptsProperty);
        copy.ApplicationProperties[RedrivenFromProperty] = original;
        return copy;
    }

    /// <summary><c>{original}|{suffix}</c>, or, when that is longer than Service Bus takes, the original's SHA-256 in its place.</summary>
    internal static string DerivedId(string original, string suffix)
    {
        var id = $"{original}|{suffix}";
        return id.Length <= MaxMessageIdLength ? id : $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))}|{suffix}";
    }

    /// <summary>
    /// Body and properties of <paramref name="message"/> without the broker's dead-letter marks, with the id
    /// <c>{original}|{purpose}|{sequence number}</c>; and the original id, which the caller records on the copy.
    /// </summary>
    private static (ServiceBusMessage Copy, string Original) CopyOf(ServiceBusReceivedMessage message, string purpose)
    {
        var original = OriginalIdOf(message);
        var copy = new ServiceBusMessage(message)
        {
            MessageId = DerivedId(original, $"{purpose}|{message.SequenceNumber.ToString(CultureInfo.InvariantCulture)}"),
        };
        copy.ApplicationProperties.Remove(DeadLetterReasonProperty);
        copy.ApplicationProperties.Remove(DeadLetterErrorDescriptionProperty);
        return (copy, original);
    }

    private static int AsCount(object? value) => value switch
    {
        int count => Math.Max(0, count),
        long count => (int)Math.Clamp(count, 0, int.MaxValue),
        string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) => count,
        _ => 0,
    };
}
