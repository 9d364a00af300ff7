namespace Coexistence.Changes;

/// <summary>
/// The production names of the four change queues, one per kind, the same for both transports
/// (docs/queue-messages.md). Constants, so that the queue triggers can name them; tests give each run
/// its own names through <c>StorageNames.WithPrefix</c>.
/// </summary>
public static class QueueNames
{
    public const string History = "coexistence-history";
    public const string ContactSync = "coexistence-contacts";
    public const string MessageEchoes = "coexistence-echoes";
    public const string Messages = "coexistence-messages";
    public const string AccountUpdates = "coexistence-accounts";

    /// <summary>The media jobs (docs/media.md): always a Storage queue, whichever transport carries the changes.</summary>
    public const string Media = "coexistence-media";
}
