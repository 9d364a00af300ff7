using System.Text;
using Microsoft.Extensions.Logging;

namespace Coexistence.Tests.Support;

/// <summary>The HTTP door's domain half on isolated Azurite storage, with the evidence a test needs: what was stored.</summary>
internal sealed class DoorHarness
{
    private DoorHarness(PipelineHarness pipeline) => Pipeline = pipeline;

    public PipelineHarness Pipeline { get; }
    public WebhookDoor Door => Pipeline.Door;

    public static async Task<DoorHarness> CreateAsync(WebhookAuthOptions? auth = null, IntakeOptions? options = null, ILoggerFactory? loggers = null) =>
        new(await PipelineHarness.CreateAsync(options: options, loggers: loggers, auth: auth));

    public Task<HttpAnswer> PostAsync(byte[] body, params (string Name, string Value)[] headers)
    {
        var lookup = headers.ToLookup(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return Door.ReceiveAsync(name => lookup.Contains(name) ? string.Join(",", lookup[name]) : null, new MemoryStream(body), CancellationToken.None);
    }

    /// <summary>Blobs, queue messages and table rows: all zero after any refused request.</summary>
    public async Task<(int Blobs, int QueueMessages, int Rows)> StoredAsync() =>
        (await EndToEnd.DoorTests.CountBlobsAsync(Pipeline.Storage),
         await EndToEnd.DoorTests.CountQueueMessagesAsync(Pipeline.Storage),
         await TableDump.CountRowsAsync(Pipeline.Storage));

    public static string Code(HttpAnswer response) =>
        System.Text.Json.JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString()!;

    public static string Text(HttpAnswer response) => Encoding.UTF8.GetString(response.Body);
}
