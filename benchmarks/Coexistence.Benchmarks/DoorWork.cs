using System.Security.Cryptography;
using System.Text.Unicode;

namespace Coexistence.Benchmarks;

/// <summary>
/// The door's CPU work without its I/O, in the order <see cref="WebhookDoor"/> and <see cref="WebhookIntake"/>
/// do it: authenticate (HMAC of the body; the door), check UTF-8 and read the envelope (the intake), compute the webhook id
/// (SHA-256 of the body), and prepare each change's queue message with the door's own
/// <see cref="WebhookIntake.PrepareMessage"/>. The steps before that are calls of the same code the
/// door makes; keep their order in step with <see cref="WebhookDoor"/>.
/// </summary>
public sealed class DoorWork
{
    private readonly WebhookAuthenticator authenticator;
    private readonly IntakeOptions options = new();
    private static readonly DateTimeOffset ReceivedAt = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public DoorWork()
    {
        var auth = new WebhookAuthOptions { ProviderSecrets = [SyntheticWebhooks.ProviderSecret] };
        authenticator = new WebhookAuthenticator(auth);
    }

    /// <summary>Returns the bytes that would be queued (so nothing can be optimised away); throws if the body is refused.</summary>
    public int Run(ReadOnlyMemory<byte> body, string signature)
    {
        if (authenticator.Check(name => name == WebhookAuthenticator.ProviderSignatureHeader ? signature : null, body.Span) is { } refused)
            throw new InvalidOperationException(refused);
        if (!Utf8.IsValid(body.Span)) throw new InvalidOperationException("not UTF-8");

        var reading = WebhookEnvelopeReader.Read(body);
        if (reading.Problem is { } problem) throw new InvalidOperationException(problem.Code);
        var webhookId = Convert.ToHexStringLower(SHA256.HashData(body.Span));

        var queued = 0;
        foreach (var change in reading.Changes)
        {
            if (change.Kind is not { } kind) continue;
            var (_, serialized) = WebhookIntake.PrepareMessage(body, change, kind, webhookId, ReceivedAt,
                RawArchive.BlobName(change.PhoneNumberId, ReceivedAt, webhookId), options.ClaimCheckThresholdBytes);
            queued += serialized.Length;
        }
        return queued;
    }
}
