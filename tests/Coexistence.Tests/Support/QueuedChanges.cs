namespace Coexistence.Tests.Support;

/// <summary>The change messages waiting in a queue, read without taking them; each must be a readable change message.</summary>
internal static class QueuedChanges
{
    public static async Task<List<ChangeMessage>> PeekAsync(StorageClients storage, string queue)
    {
        var found = new List<ChangeMessage>();
        foreach (var m in (await storage.Queue(queue).PeekMessagesAsync(32)).Value)
        {
            Assert.True(ChangeMessageFormat.TryParse(m.Body.ToMemory(), out var message, out var error), error);
            found.Add(message!);
        }
        return found;
    }
}
