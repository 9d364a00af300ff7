using Coexistence.Media;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Media;

/// <summary>
/// What the provider's failures come to (docs/media.md, "Outcomes" and "Throttling"): an expired id is recorded and
/// never retried; 429, 5xx, a silent server and a cut connection are retried later (the copy of the job waits on the
/// queue, invisible); every failed request spends the throttle key's error budget, whose end pauses the key; a file
/// too large is refused before or while it is read. Nothing of a failed download stays in the media container.
/// </summary>
public class MediaFailureTests
{
    private static readonly byte[] Photo = MediaHarness.Content("a photo of a parcel, 40 bytes or so long");

    private static async Task<MediaHarness> WithPhotoAsync(Action<MediaOptions>? options = null, string mediaId = "media-1")
    {
        var h = await MediaHarness.CreateAsync(options: options);
        h.StandIn.Serve(mediaId, Photo, "image/jpeg");
        return h;
    }

    private static byte[] PhotoEcho(string messageId, string mediaId = "media-1", string phoneNumberId = PhoneNumberId) =>
        MediaHarness.ImageEcho(messageId, mediaId, MediaHarness.Base64Sha256(Photo), phoneNumberId: phoneNumberId);

    private static int ErrorCount(Azure.Data.Tables.TableEntity? throttleRow) =>
        (throttleRow?.GetString("ErrorTimes") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public async Task A_404_on_the_lookup_is_an_expired_id_recorded_on_the_row_never_retried_and_counted_once_by_the_throttle()
    {
        await using var h = await WithPhotoAsync();
        h.StandIn.Fail("media-1", 404);
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));

        Assert.Equal([MediaOutcome.Failed], await h.MediaDrainer.DrainAsync(default));

        Assert.Contains("expired", (await h.ChatRowAsync("wamid.m/1")).GetString("MediaError"), StringComparison.Ordinal);
        Assert.Equal(0, await h.QueuedJobCountAsync());
        Assert.Single(h.Jobs.Sent); // the change processor's job, and no copy of it
        Assert.Empty(h.StandIn.FileRequests);
        // 360dialog counts failed requests whatever they were: the expired id's too.
        Assert.Equal(1, ErrorCount(await h.ThrottleRowAsync(MediaOptions.DefaultThrottleKey)));
        Assert.Contains(await h.QuarantineAsync(), q => q.Reason.Contains("expired", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(400, false, MediaOutcome.Failed)]
    [InlineData(401, false, MediaOutcome.Failed)]
    [InlineData(403, true, MediaOutcome.Failed)]
    [InlineData(410, true, MediaOutcome.Failed)]
    [InlineData(500, false, MediaOutcome.Retried)]
    [InlineData(503, true, MediaOutcome.Retried)]
    [InlineData(429, true, MediaOutcome.Retried)]
    public async Task A_refusal_or_an_expired_id_is_permanent_and_a_server_error_or_throttling_transient(int status, bool onTheFile, MediaOutcome outcome)
    {
        await using var h = await WithPhotoAsync();
        h.StandIn.Fail("media-1", status, file: onTheFile);
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));

        Assert.Equal([outcome], await h.MediaDrainer.DrainAsync(default));

        var row = await h.ChatRowAsync("wamid.m/1");
        Assert.Null(row.GetString("MediaBlob"));
        Assert.Equal(outcome == MediaOutcome.Failed, row.GetString("MediaError") is not null);
        Assert.Equal(outcome == MediaOutcome.Retried ? 1 : 0, await h.QueuedJobCountAsync());
        // Each failed request, permanent or not, is one error of the key.
        Assert.Equal(1, ErrorCount(await h.ThrottleRowAsync(MediaOptions.DefaultThrottleKey)));
        Assert.Equal(onTheFile ? 1 : 0, h.StandIn.FileRequests.Count);
    }

    [Fact]
    public async Task A_429_with_retry_after_queues_an_invisible_copy_for_then_and_pauses_the_key_so_the_next_job_asks_nothing()
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-1", Photo, "image/jpeg");
        h.StandIn.Serve("media-2", Photo, "image/jpeg");
        h.StandIn.Fail("media-1", 429, retryAfterSeconds: 120);
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));

        Assert.Equal([MediaOutcome.Retried], await h.MediaDrainer.DrainAsync(default));

        var (copy, delay) = h.Jobs.Sent[^1];
        Assert.Equal(("wamid.m/1", "media-1", 1), (copy.MessageId, copy.MediaId, copy.Attempt));
        // Retry-After (120 s) is longer than the first back-off (30 s): the provider's wait wins.
        Assert.Equal(TimeSpan.FromSeconds(120), delay);
        Assert.Equal(1, await h.QueuedJobCountAsync());
        Assert.Empty((await h.Storage.Queue(h.Storage.Names.MediaQueue).ReceiveMessagesAsync()).Value);
        var throttle = await h.ThrottleRowAsync(MediaOptions.DefaultThrottleKey);
        Assert.Equal(FixedTime.Default.AddSeconds(120), throttle!.GetDateTimeOffset("PausedUntil"));

        // Another message of the same number, 10 s later: the key is paused, so nothing is requested.
        h.Time.Now = FixedTime.Default.AddSeconds(10);
        await h.DeliverAsync(PhotoEcho("wamid.m/2", "media-2"));
        Assert.Equal([MediaOutcome.Throttled], await h.MediaDrainer.DrainAsync(default));
        Assert.Single(h.StandIn.Requests);
        var (deferred, wait) = h.Jobs.Sent[^1];
        Assert.Equal(("media-2", 0), (deferred.MediaId, deferred.Attempt));
        // Invisible until the pause ends (120 s - 10 s left on the clock), and a second more.
        Assert.Equal(TimeSpan.FromSeconds(110 + 1), wait);
        Assert.Equal(2, await h.QueuedJobCountAsync());
    }

    [Fact]
    public async Task The_error_budget_spent_pauses_the_default_key_but_not_a_number_with_its_own_credentials()
    {
        const string OwnNumber = "106540352242999";
        await using var h = await MediaHarness.CreateAsync(options: o =>
        {
            o.ErrorBudgetPerHour = 2;
            o.ErrorPauseMinutes = 30;
            o.Numbers[OwnNumber] = new MediaProviderOptions { AccessToken = "own-token" };
        });
        foreach (var id in new[] { "media-1", "media-2", "media-3", "media-4" }) h.StandIn.Serve(id, Photo, "image/jpeg");
        h.StandIn.Fail("media-1", 500);
        h.StandIn.Fail("media-2", 500, file: true);

        await h.DeliverAsync(PhotoEcho("wamid.m/1", "media-1"));
        Assert.Equal([MediaOutcome.Retried], await h.MediaDrainer.DrainAsync(default));
        var first = await h.ThrottleRowAsync(MediaOptions.DefaultThrottleKey);
        Assert.Equal(1, ErrorCount(first));
        Assert.Null(first!.GetDateTimeOffset("PausedUntil"));

        h.Time.Now = FixedTime.Default.AddMinutes(5);
        await h.DeliverAsync(PhotoEcho("wamid.m/2", "media-2"));
        Assert.Equal([MediaOutcome.Retried], await h.MediaDrainer.DrainAsync(default));
        var paused = await h.ThrottleRowAsync(MediaOptions.DefaultThrottleKey);
        Assert.Equal(FixedTime.Default.AddMinutes(5 + 30), paused!.GetDateTimeOffset("PausedUntil"));
        Assert.Contains("2 failed requests", paused.GetString("PauseReason"), StringComparison.Ordinal);
        // While paused, the default key's next job asks nothing.
        var asked = h.StandIn.Requests.Count;
        await h.DeliverAsync(PhotoEcho("wamid.m/5", "media-4"));
        Assert.Equal([MediaOutcome.Throttled], await h.MediaDrainer.DrainAsync(default));
        Assert.Equal(asked, h.StandIn.Requests.Count);

        // The number with its own token spends its own budget (row under its id) and still downloads.
        h.StandIn.Fail("media-3", 500);
        await h.DeliverAsync(PhotoEcho("wamid.o/3", "media-3", OwnNumber));
        await h.DeliverAsync(PhotoEcho("wamid.o/4", "media-4", OwnNumber));
        Assert.Equal([MediaOutcome.Archived, MediaOutcome.Retried], (await h.MediaDrainer.DrainAsync(default)).Order());
        var own = await h.ThrottleRowAsync(OwnNumber);
        Assert.Equal(1, ErrorCount(own));
        Assert.Null(own!.GetDateTimeOffset("PausedUntil"));
        Assert.Equal(["Bearer own-token"], h.StandIn.Requests.Where(r => r.Path.Contains("media-3") || r.Path.Contains("media-4"))
            .Select(r => r.Authorization).Distinct());
        Assert.Equal(Photo, (await h.Blob("wamid.o/4", "media-4", OwnNumber).DownloadContentAsync()).Value.Content.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_provider_silent_past_the_timeout_is_a_transient_failure_retried_later(bool onTheFile)
    {
        await using var h = await WithPhotoAsync(o => o.TimeoutSeconds = 1);
        h.StandIn.Stall("media-1", TimeSpan.FromSeconds(3), file: onTheFile);
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));

        Assert.Equal([MediaOutcome.Retried], await h.MediaDrainer.DrainAsync(default));

        Assert.Equal(1, h.Jobs.Sent[^1].Job.Attempt);
        Assert.False((await h.Blob("wamid.m/1", "media-1").ExistsAsync()).Value);
        Assert.Null((await h.ChatRowAsync("wamid.m/1")).GetString("MediaError"));
    }

    [Fact]
    public async Task A_file_cut_short_is_retried_leaves_no_verified_blob_and_the_next_run_archives_the_whole_file()
    {
        await using var h = await WithPhotoAsync();
        h.StandIn.Truncate("media-1");
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));
        var job = await h.TakeJobAsync();

        Assert.Equal(MediaOutcome.Retried, await h.Archiver.ProcessAsync(job, default));
        var blob = h.Blob("wamid.m/1", "media-1");
        Assert.True(!(await blob.ExistsAsync()).Value || !(await blob.GetPropertiesAsync()).Value.Metadata.ContainsKey("sha256"),
            "a cut download left a blob that claims to be verified");
        Assert.Null((await h.ChatRowAsync("wamid.m/1")).GetString("MediaBlob"));

        // The same job once more (as its retry would be): now the stand-in sends the whole file.
        Assert.Equal(MediaOutcome.Archived, await h.Archiver.ProcessAsync(job, default));
        Assert.Equal(Photo, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(2, h.StandIn.FileRequests.Count);
    }

    [Fact]
    public async Task A_file_size_in_the_lookup_above_max_bytes_fails_at_once_without_requesting_the_file()
    {
        await using var h = await WithPhotoAsync(o => o.MaxBytes = Photo.Length - 1);
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));

        Assert.Equal([MediaOutcome.Failed], await h.MediaDrainer.DrainAsync(default));

        Assert.Single(h.StandIn.Requests);
        Assert.Empty(h.StandIn.FileRequests);
        Assert.Contains("MaxBytes", (await h.ChatRowAsync("wamid.m/1")).GetString("MediaError"), StringComparison.Ordinal);
        Assert.False((await h.Blob("wamid.m/1", "media-1").ExistsAsync()).Value);
        // Not the provider's failure: the throttle counts nothing.
        Assert.Null(await h.ThrottleRowAsync(MediaOptions.DefaultThrottleKey));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_larger_than_max_bytes_without_a_size_in_the_lookup_fails_and_leaves_no_blob(bool chunked)
    {
        // Without file_size the downloader learns the size from the Content-Length, or, chunked, only while reading.
        await using var h = await MediaHarness.CreateAsync(options: o => o.MaxBytes = 16);
        h.StandIn.Serve("media-1", Photo, "image/jpeg", declaredSize: -1, chunked: chunked);
        await h.DeliverAsync(PhotoEcho("wamid.m/1"));

        Assert.Equal([MediaOutcome.Failed], await h.MediaDrainer.DrainAsync(default));

        Assert.Single(h.StandIn.FileRequests);
        Assert.Contains("MaxBytes", (await h.ChatRowAsync("wamid.m/1")).GetString("MediaError"), StringComparison.Ordinal);
        Assert.False((await h.Blob("wamid.m/1", "media-1").ExistsAsync()).Value);
        Assert.Equal(0, await h.QueuedJobCountAsync());
    }
}
