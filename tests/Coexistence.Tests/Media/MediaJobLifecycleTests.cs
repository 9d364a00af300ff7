using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using Coexistence.Media;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Media;

/// <summary>
/// A media job's runs apart from the provider's answers (docs/media.md, "Flow"): a file archived once is never fetched
/// again, whether the row or only the blob says so; an expired id asks nothing; a job for a message not stored yet waits
/// (up to Media:MaxAttempts); a number without a provider gets no jobs and drops any; an unreadable job is quarantined.
/// </summary>
public class MediaJobLifecycleTests
{
    private static readonly byte[] Photo = MediaHarness.Content("a photo, archived once and once only");

    private static MediaJob JobFor(string messageId, string mediaId, string phoneNumberId = PhoneNumberId) =>
        new(MediaJob.CurrentVersion, phoneNumberId, messageId, mediaId, "image/jpeg", null, FixedTime.Default, FixedTime.Default.AddDays(7));

    [Fact]
    public async Task The_same_job_run_twice_downloads_once_and_the_second_run_is_already_archived()
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-1", Photo, "image/jpeg");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo)));
        var job = await h.TakeJobAsync();

        Assert.Equal(MediaOutcome.Archived, await h.Archiver.ProcessAsync(job, default));
        var row = await h.ChatRowAsync("wamid.m/1");
        Assert.Equal(MediaOutcome.AlreadyArchived, await h.Archiver.ProcessAsync(job, default));

        Assert.Single(h.StandIn.FileRequests);
        Assert.Equal(2, h.StandIn.Requests.Count); // one lookup, one file: the second run asked nothing
        var again = await h.ChatRowAsync("wamid.m/1");
        Assert.Equal(row.ETag, again.ETag); // and wrote nothing
    }

    [Fact]
    public async Task The_message_delivered_again_after_its_file_was_archived_keeps_the_archive_columns_and_fetches_nothing()
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-1", Photo, "image/jpeg");
        var echo = MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo));
        await h.DeliverAsync(echo);
        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));
        var blobName = h.Blob("wamid.m/1", "media-1").Name;

        // Meta sends the same message again in another body (a retry of its own, whitespace apart).
        await h.DeliverAsync([.. echo, (byte)'\n']);
        Assert.Equal(blobName, (await h.ChatRowAsync("wamid.m/1")).GetString("MediaBlob"));
        // The change processor queues the message's job again (it cannot tell); the job finds the file archived.
        Assert.Equal(2, h.Jobs.Sent.Count);
        Assert.Equal([MediaOutcome.AlreadyArchived], await h.MediaDrainer.DrainAsync(default));

        Assert.Single(h.StandIn.FileRequests);
        Assert.Equal(blobName, (await h.ChatRowAsync("wamid.m/1")).GetString("MediaBlob"));
    }

    [Fact]
    public async Task A_verified_blob_the_row_does_not_name_yet_is_named_without_any_request()
    {
        // As a run that stored the file and stopped before it wrote the row leaves it.
        await using var h = await MediaHarness.CreateAsync();
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo)));
        var blob = h.Blob("wamid.m/1", "media-1");
        await blob.UploadAsync(BinaryData.FromBytes(Photo), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Photo)), ["fetchedat"] = "1700000000" },
        });

        Assert.Equal([MediaOutcome.AlreadyArchived], await h.MediaDrainer.DrainAsync(default));

        Assert.Empty(h.StandIn.Requests);
        var row = await h.ChatRowAsync("wamid.m/1");
        Assert.Equal(blob.Name, row.GetString("MediaBlob"));
        Assert.Equal(1_700_000_000, row.GetInt64("MediaFetchedAt"));
        Assert.Equal(Photo.Length, row.GetInt64("MediaBytes"));
    }

    [Fact]
    public async Task A_blob_whose_hash_is_not_the_webhooks_is_fetched_again_and_overwritten()
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-1", Photo, "image/jpeg");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo)));
        var stale = MediaHarness.Content("another file under the same name");
        var blob = h.Blob("wamid.m/1", "media-1");
        await blob.UploadAsync(BinaryData.FromBytes(stale), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(stale)) },
        });

        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));

        Assert.Equal(Photo, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Single(h.StandIn.FileRequests);
    }

    [Fact]
    public async Task A_job_past_its_ids_lifetime_is_expired_without_any_request_and_recorded_on_the_row_and_in_quarantine()
    {
        await using var h = await MediaHarness.CreateAsync(options: o => o.IdLifetimeDays = 7);
        h.StandIn.Serve("media-1", Photo, "image/jpeg");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo)));
        h.Time.Now = FixedTime.Default.AddDays(7).AddSeconds(1);

        Assert.Equal([MediaOutcome.Expired], await h.MediaDrainer.DrainAsync(default));

        Assert.Empty(h.StandIn.Requests);
        var row = await h.ChatRowAsync("wamid.m/1");
        Assert.Contains("expired", row.GetString("MediaError"), StringComparison.Ordinal);
        Assert.Equal(h.Time.Now.ToUnixTimeSeconds(), row.GetInt64("MediaFailedAt"));
        var quarantined = Assert.Single(await h.QuarantineAsync());
        Assert.Contains("expired", quarantined.Reason, StringComparison.Ordinal);
        Assert.Contains("wamid.m/1", quarantined.Message, StringComparison.Ordinal);
        Assert.Equal(0, await h.QueuedJobCountAsync());
    }

    [Fact]
    public async Task A_job_for_a_message_not_stored_yet_is_queued_again_without_asking_the_provider()
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-x", Photo, "image/jpeg");

        Assert.Equal(MediaOutcome.Retried, await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(JobFor("wamid.later", "media-x")), default));

        Assert.Empty(h.StandIn.Requests);
        var (copy, delay) = Assert.Single(h.Jobs.Sent);
        Assert.Equal(("wamid.later", 1), (copy.MessageId, copy.Attempt));
        Assert.Equal(TimeSpan.FromSeconds(30), delay); // the first back-off
        Assert.Equal(1, await h.QueuedJobCountAsync());
        Assert.Empty(await h.QuarantineAsync());
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(3, 240)]
    [InlineData(7, 3600)] // 30 s doubled 7 times is 3840 s: the back-off stops at an hour
    public async Task A_waiting_jobs_back_off_doubles_with_each_attempt_up_to_an_hour(int attempt, int seconds)
    {
        await using var h = await MediaHarness.CreateAsync(options: o => o.MaxAttempts = 20);

        var outcome = await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(JobFor("wamid.later", "media-x") with { Attempt = attempt }), default);

        Assert.Equal(MediaOutcome.Retried, outcome);
        var (copy, delay) = Assert.Single(h.Jobs.Sent);
        Assert.Equal((attempt + 1, TimeSpan.FromSeconds(seconds)), (copy.Attempt, delay));
    }

    [Fact]
    public async Task The_last_allowed_attempt_that_fails_transiently_is_recorded_as_given_up()
    {
        await using var h = await MediaHarness.CreateAsync(options: o => o.MaxAttempts = 3);
        h.StandIn.Serve("media-1", Photo, "image/jpeg");
        h.StandIn.Fail("media-1", 503, times: 5);
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo)));
        var job = MediaJobFormat.TryParse(await h.TakeJobAsync(), out _)!;

        // Runs 1 and 2 of 3 wait for another; run 3 is the last.
        Assert.Equal(MediaOutcome.Retried, await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(job), default));
        Assert.Equal(MediaOutcome.Retried, await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(job with { Attempt = 1 }), default));
        Assert.Equal(MediaOutcome.Failed, await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(job with { Attempt = 2 }), default));

        Assert.Equal(3, h.StandIn.Requests.Count);
        var error = (await h.ChatRowAsync("wamid.m/1")).GetString("MediaError");
        Assert.Contains("gave up after 3 attempts", error, StringComparison.Ordinal);
        Assert.Contains("503", error, StringComparison.Ordinal);
        Assert.Single(await h.QuarantineAsync());
    }

    [Fact]
    public async Task With_one_attempt_allowed_a_job_for_a_message_not_stored_fails_at_once_into_quarantine()
    {
        await using var h = await MediaHarness.CreateAsync(options: o => o.MaxAttempts = 1);

        Assert.Equal(MediaOutcome.Failed, await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(JobFor("wamid.later", "media-x")), default));

        Assert.Empty(h.StandIn.Requests);
        Assert.Empty(h.Jobs.Sent);
        var quarantined = Assert.Single(await h.QuarantineAsync());
        Assert.Contains("not stored yet", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_without_a_provider_gets_no_media_jobs_and_drops_one_while_a_configured_number_gets_one()
    {
        const string Configured = "106540352242999";
        await using var h = await MediaHarness.CreateAsync(options: o =>
        {
            o.Provider = null;
            o.AccessToken = null;
            o.Numbers[Configured] = new MediaProviderOptions { Provider = MediaOptions.Meta, AccessToken = "its-token" };
        });
        h.StandIn.Serve("media-1", Photo, "image/jpeg");

        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(Photo)));
        Assert.Empty(h.Jobs.Sent);
        Assert.Equal(0, await h.QueuedJobCountAsync());
        Assert.Equal(MediaOutcome.Disabled, await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(JobFor("wamid.m/1", "media-1")), default));
        Assert.Empty(h.StandIn.Requests);
        Assert.Null((await h.ChatRowAsync("wamid.m/1")).GetString("MediaError"));

        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.c/1", "media-2", null, phoneNumberId: Configured));
        Assert.Equal([(Configured, "wamid.c/1", "media-2")], (await h.VisibleJobsAsync()).Select(j => (j.PhoneNumberId, j.MessageId, j.MediaId)));
    }

    [Fact]
    public async Task A_delivery_queues_one_job_per_media_object_the_messages_own_and_each_history_follow_ups()
    {
        await using var h = await MediaHarness.CreateAsync();

        await h.DeliverAsync(Fixtures.Bytes("meta-echo-image.json"));
        await h.DeliverAsync(Fixtures.Bytes("meta-history-media-followup.json"));
        await h.DeliverAsync(Echo(EchoText("wamid.t/1", MediaHarness.Customer, 1_718_003_800, "no media here")));

        // The fixtures' wamids and media ids, as they say them.
        Assert.Equal(
            [
                ("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURENCRTU1RTlCNTIzRUJFMzAzQUS+/OUA", "1183420917593624", "image/jpeg"),
                ("wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFEM4NzU3NUQ1QkUzN0E2QUQyNUNCI+n/AA==", "1523390041877210", "audio/ogg; codecs=opus"),
                ("wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUM0JGMzczQUREQjQyRTBDMjg4RUJofi+/AA==", "871203954416625", "video/mp4"),
                ("wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYFDc5ODlDOTlENzA0MUEyMTcxN0U1M+kg/QA=", "958812734401266", "image/webp"),
            ],
            (await h.VisibleJobsAsync()).Select(j => (j.MessageId, j.MediaId, j.MimeType)).OrderBy(j => j.MediaId, StringComparer.Ordinal));
        Assert.All(await h.VisibleJobsAsync(), j => Assert.Equal((PhoneNumberId, 0, FixedTime.Default.AddDays(7)), (j.PhoneNumberId, j.Attempt, j.NotAfter)));
        Assert.Equal(4, await h.QueuedJobCountAsync());
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("""{"version":2,"phoneNumberId":"106540352242922","messageId":"wamid.m/1","mediaId":"media-1"}""", "version 2")]
    [InlineData("""{"version":1,"phoneNumberId":"106540352242922","messageId":"wamid.m/1"}""", "mediaId")]
    public async Task An_unreadable_job_is_quarantined_and_asks_nothing(string body, string reason)
    {
        await using var h = await MediaHarness.CreateAsync();

        Assert.Equal(MediaOutcome.Unreadable, await h.Archiver.ProcessAsync(Encoding.UTF8.GetBytes(body), default));

        var quarantined = Assert.Single(await h.QuarantineAsync());
        Assert.Equal(QuarantineTable.UnroutablePartition, quarantined.PartitionKey);
        Assert.StartsWith("unreadable media job", quarantined.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, quarantined.Reason, StringComparison.Ordinal);
        Assert.Equal(body, quarantined.Message);
        Assert.Empty(h.StandIn.Requests);
        Assert.Empty(h.Jobs.Sent);
    }
}
