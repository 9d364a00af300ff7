using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Coexistence.Tests.Support;

/// <summary>What a fault does to one request.</summary>
internal enum Fault
{
    /// <summary>Answer 503 without sending (the service throttling); the SDK retries.</summary>
    Throttle,
    /// <summary>Answer 500 without sending; the SDK retries.</summary>
    ServerError,
    /// <summary>Send it, let the service apply it, then lose the response (a dropped connection); the SDK retries.</summary>
    DropAfterApply,
    /// <summary>Fail it with a non-retryable error before sending (a consumer dying mid-job).</summary>
    Crash,
    /// <summary>Never answer (a stuck dependency): the request waits until it is cancelled.</summary>
    Hang,
    /// <summary>Answer 400 without sending (the service refusing the request itself: a bad key or property); the SDK does not retry.</summary>
    BadRequest,
}

/// <summary>
/// An Azure SDK transport that injects faults into the requests a test chooses. It sits where the
/// network is, so the SDK's retry policy and error classification see the faults as they would see
/// the real thing.
/// </summary>
internal sealed class FaultInjectionPolicy : HttpPipelineTransport
{
    private readonly HttpPipelineTransport inner = HttpClientTransport.Shared;
    private readonly Func<HttpMessage, int, Fault?> decide;
    private int requests;
    private int injected;

    /// <param name="decide">Given a request and its 1-based sequence number, the fault to inject or null.</param>
    public FaultInjectionPolicy(Func<HttpMessage, int, Fault?> decide) => this.decide = decide;

    public int Injected => injected;
    public bool Enabled { get; set; } = true;

    public override Request CreateRequest() => inner.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        var fault = Enabled ? decide(message, Interlocked.Increment(ref requests)) : null;
        if (fault is not null) Interlocked.Increment(ref injected);
        switch (fault)
        {
            case Fault.Throttle:
                message.Response = new SyntheticResponse(503, "Server Busy");
                return;
            case Fault.ServerError:
                message.Response = new SyntheticResponse(500, "Internal Server Error");
                return;
            case Fault.BadRequest:
                message.Response = new SyntheticResponse(400, "Bad Request");
                return;
            case Fault.Crash:
                throw new InvalidOperationException("injected crash before " + message.Request.Method);
            case Fault.Hang:
                await Task.Delay(Timeout.Infinite, message.CancellationToken);
                return;
            case Fault.DropAfterApply:
                await inner.ProcessAsync(message);
                throw new IOException("injected: connection dropped after the service applied the request");
            default:
                await inner.ProcessAsync(message);
                return;
        }
    }

    public static bool IsWrite(HttpMessage message) => message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head;
    public static bool IsTableBatch(HttpMessage message) => message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal);

    /// <summary>Storage clients for one isolated test prefix with the policy on tables, blobs and queues, and quick retries.</summary>
    public static async Task<StorageClients> StorageAsync(FaultInjectionPolicy policy)
    {
        var storage = StorageClients.FromConnectionString(Azurite.ConnectionString, StorageNames.WithPrefix(Azurite.NewPrefix()), options =>
        {
            options.Retry.MaxRetries = 6;
            options.Retry.Delay = TimeSpan.FromMilliseconds(5);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            options.Transport = policy;
        });
        policy.Enabled = false;
        await storage.EnsureCreatedAsync(CancellationToken.None);
        policy.Enabled = true;
        return storage;
    }

    private sealed class SyntheticResponse(int status, string reason) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => reason;
        public override Stream? ContentStream { get; set; } = new MemoryStream();
        public override string ClientRequestId { get; set; } = Guid.NewGuid().ToString();
        public override void Dispose() { }
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) { value = null; return false; }
        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values) { values = null; return false; }
    }
}
