using System.Text;
using Coexistence.Intake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coexistence.Tests.Support;

/// <summary>The HTTP door's domain half on isolated Azurite storage, with the evidence a test needs: what was stored.</summary>
public sealed class DoorHarness
{
    private DoorHarness(PipelineHarness pipeline, WebhookDoor door) => (Pipeline, Door) = (pipeline, door);

    public PipelineHarness Pipeline { get; }
    public WebhookDoor Door { get; }

    public static async Task<DoorHarness> CreateAsync(WebhookAuthOptions? auth = null, IntakeOptions? options = null, ILoggerFactory? loggers = null)
    {
        options ??= new IntakeOptions();
        auth ??= new WebhookAuthOptions();
        var h = await PipelineHarness.CreateAsync(options: options, loggers: loggers);
        var intake = new WebhookIntake(h.Pipeline.Registry, h.Pipeline.Archive, h.Pipeline.Queue, options, new FixedTime(),
            (loggers ?? NullLoggerFactory.Instance).CreateLogger<WebhookIntake>());
        var door = new WebhookDoor(intake, new WebhookAuthenticator(auth), auth, options, (loggers ?? NullLoggerFactory.Instance).CreateLogger<WebhookDoor>());
        return new DoorHarness(h, door);
    }

    public Task<DoorResponse> PostAsync(byte[] body, params (string Name, string Value)[] headers)
    {
        var lookup = headers.ToLookup(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        return Door.ReceiveAsync(name => lookup.Contains(name) ? string.Join(",", lookup[name]) : null, new MemoryStream(body), CancellationToken.None);
    }

    /// <summary>Blobs, queue messages and table rows: all zero after any refused request.</summary>
    public async Task<(int Blobs, int QueueMessages, int Rows)> StoredAsync() =>
        (await EndToEnd.DoorTests.CountBlobsAsync(Pipeline.Storage),
         await EndToEnd.DoorTests.CountQueueMessagesAsync(Pipeline.Storage),
         await TableDump.CountRowsAsync(Pipeline.Storage));

    public static string Code(DoorResponse response) =>
        System.Text.Json.JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString()!;

    public static string Text(DoorResponse response) => Encoding.UTF8.GetString(response.Body);
}
