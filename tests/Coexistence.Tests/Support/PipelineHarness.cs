using Coexistence.Intake;
using Coexistence.Processing;
using Coexistence.Storage;

namespace Coexistence.Tests.Support;

/// <summary>A real pipeline on isolated Azurite storage: deliver bodies through the door, drain the queues.</summary>
public sealed class PipelineHarness
{
    private PipelineHarness(StorageClients storage, Pipeline pipeline)
    {
        Storage = storage;
        Pipeline = pipeline;
    }

    public StorageClients Storage { get; }
    public Pipeline Pipeline { get; }

    public static async Task<PipelineHarness> CreateAsync(TimeProvider? time = null, Coexistence.Intake.IntakeOptions? options = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        var storage = await Azurite.NewStorageAsync();
        return new PipelineHarness(storage, new Pipeline(storage, intakeOptions: options, time: time ?? new FixedTime(), loggerFactory: loggers));
    }

    /// <summary>Posts through the door (must be accepted) and drains every queue.</summary>
    public async Task<IReadOnlyList<ProcessingResult>> DeliverAsync(byte[] body)
    {
        var result = await Pipeline.Intake.ReceiveAsync(body, CancellationToken.None);
        Assert.True(result.Outcome == IntakeOutcome.Accepted, $"expected the door to accept the body, got {result.Outcome}: {result.Problem}");
        return await Pipeline.Drainer.DrainAsync(CancellationToken.None);
    }

    public async Task DeliverAllAsync(IEnumerable<byte[]> bodies)
    {
        foreach (var body in bodies) await DeliverAsync(body);
    }
}
