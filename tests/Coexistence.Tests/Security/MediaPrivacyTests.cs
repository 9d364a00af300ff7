using Coexistence.Media;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Security;

/// <summary>
/// The media archive's logs (docs/security.md): a run through success, a refusal, throttling, a cut body and a hash
/// mismatch logs neither the credential, nor a provider URL, nor the customer's number.
/// </summary>
public class MediaPrivacyTests
{
    [Theory]
    [InlineData(MediaOptions.Meta, "test-token")]
    [InlineData(MediaOptions.D360, "test-api-key")]
    public async Task Media_jobs_log_no_credential_url_or_customer_number(string provider, string credential)
    {
        using var logs = new CapturedLogs();
        await using var h = await MediaHarness.CreateAsync(provider, loggers: logs);
        var ok = MediaHarness.Content("fine");
        h.StandIn.Serve("m-ok", ok, "image/jpeg");
        h.StandIn.Serve("m-refused", MediaHarness.Content("refused"), "image/jpeg");
        h.StandIn.Fail("m-refused", 401);
        h.StandIn.Serve("m-cut", MediaHarness.Content("cut off half way through the file"), "image/jpeg");
        h.StandIn.Truncate("m-cut");
        h.StandIn.Serve("m-throttled", MediaHarness.Content("throttled"), "image/jpeg");
        h.StandIn.Fail("m-throttled", 429, retryAfterSeconds: 60);
        h.StandIn.Serve("m-mismatch", MediaHarness.Content("not what the webhook says"), "image/jpeg");
        foreach (var (wamid, id, hash) in new[] { ("wamid.p/1", "m-ok", MediaHarness.Base64Sha256(ok)), ("wamid.p/2", "m-refused", null),
                     ("wamid.p/3", "m-cut", null), ("wamid.p/4", "m-throttled", null), ("wamid.p/5", "m-mismatch", MediaHarness.Base64Sha256(ok)) })
            await h.DeliverAsync(MediaHarness.ImageEcho(wamid, id, hash));

        var outcomes = await h.MediaDrainer.DrainAsync(default);

        // Every path above ran: otherwise the test would prove nothing about its logs.
        Assert.Contains(MediaOutcome.Archived, outcomes);
        Assert.Contains(MediaOutcome.Failed, outcomes);
        Assert.Contains(MediaOutcome.Retried, outcomes);
        Assert.NotEmpty(logs.Lines);
        foreach (var secret in new[] { credential, h.StandIn.BaseUrl, "127.0.0.1", "/files/", "lookaside", "attachments", MediaHarness.Customer })
            Assert.DoesNotContain(secret, logs.AllText, StringComparison.Ordinal);
    }
}
