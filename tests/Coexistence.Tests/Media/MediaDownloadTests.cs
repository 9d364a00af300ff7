using System.Security.Cryptography;
using Coexistence.Media;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Media;

/// <summary>
/// A media file goes from the provider's API to the media container (docs/media.md, "Flow"): Meta's Graph API with its
/// bearer token, 360dialog's proxy with its API key and Meta's lookaside url moved onto it; the file is verified against
/// the webhook's SHA-256 and named on the row's media object. Against a real HTTP server on loopback and Azurite.
/// </summary>
public class MediaDownloadTests
{
    [Fact]
    public async Task A_meta_file_is_archived_with_its_bytes_the_webhooks_type_and_its_hash_and_named_on_the_row()
    {
        await using var h = await MediaHarness.CreateAsync();
        var bytes = MediaHarness.Content("the bytes of a photo of a parcel");
        // The provider says image/jpeg, the webhook image/png: the blob must carry the webhook's, as the message row does.
        h.StandIn.Serve("1183420917593624", bytes, "image/jpeg");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1+=", "1183420917593624", MediaHarness.Base64Sha256(bytes), mime: "image/png"));

        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));

        var blob = h.Blob("wamid.m/1+=", "1183420917593624");
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).Value.Content.ToArray());
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("image/png", properties.ContentType);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), properties.Metadata["sha256"]);

        var row = await h.ChatRowAsync("wamid.m/1+=");
        Assert.Equal(blob.Name, row.GetString("MediaBlob"));
        Assert.Equal(FixedTime.Default.ToUnixTimeSeconds(), row.GetInt64("MediaFetchedAt"));
        Assert.Equal(bytes.Length, row.GetInt64("MediaBytes"));
        Assert.Null(row.GetString("MediaError"));

        // The lookup, then the url it named on this server; both with the bearer token and nothing of 360dialog's.
        Assert.Equal([("/1183420917593624", "Bearer test-token", (string?)null), ("/files/1183420917593624", "Bearer test-token", null)],
            h.StandIn.Requests.Select(r => (r.Path, r.Authorization, r.D360ApiKey)));
    }

    [Fact]
    public async Task A_360dialog_file_is_fetched_through_360dialog_with_its_api_key_from_the_lookaside_urls_path_and_query()
    {
        await using var h = await MediaHarness.CreateAsync(MediaOptions.D360);
        var bytes = MediaHarness.Content("a voice note, for the archive's purposes");
        h.StandIn.Serve("958812734401266", bytes, "audio/ogg");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.d/1", "958812734401266", MediaHarness.Base64Sha256(bytes), mime: "audio/ogg"));

        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));

        Assert.Equal(bytes, (await h.Blob("wamid.d/1", "958812734401266").DownloadContentAsync()).Value.Content.ToArray());
        var requests = h.StandIn.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("test-api-key", (string?)null), (r.D360ApiKey, r.Authorization)));
        Assert.Equal("/958812734401266", requests[0].Path);
        // The lookup named lookaside.fbsbx.com: the stand-in only saw the file request because it was moved onto the base URL.
        Assert.Equal(MediaProviderStandIn.D360FilePath, requests[1].Path);
        Assert.Contains("mid=958812734401266", requests[1].Query, StringComparison.Ordinal);
        Assert.Contains("ext=1", requests[1].Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("hex")]
    [InlineData("HEX")]
    public async Task The_webhooks_sha256_verifies_the_file_whether_base64_or_hex(string form)
    {
        await using var h = await MediaHarness.CreateAsync();
        var bytes = MediaHarness.Content("a document " + form);
        var hash = SHA256.HashData(bytes);
        var sent = form switch { "base64" => Convert.ToBase64String(hash), "hex" => Convert.ToHexStringLower(hash), _ => Convert.ToHexString(hash) };
        h.StandIn.Serve("media-1", bytes, "application/pdf");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", sent));

        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));
        Assert.Equal(bytes.Length, (await h.ChatRowAsync("wamid.m/1")).GetInt64("MediaBytes"));
    }

    [Fact]
    public async Task A_file_whose_hash_is_not_the_webhooks_is_a_permanent_failure_on_the_row_and_in_quarantine_and_leaves_no_blob()
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-1", MediaHarness.Content("what the provider serves"), "image/jpeg");
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.m/1", "media-1", MediaHarness.Base64Sha256(MediaHarness.Content("what the webhook described"))));

        Assert.Equal([MediaOutcome.Failed], await h.MediaDrainer.DrainAsync(default));

        Assert.False((await h.Blob("wamid.m/1", "media-1").ExistsAsync()).Value);
        var row = await h.ChatRowAsync("wamid.m/1");
        Assert.Null(row.GetString("MediaBlob"));
        Assert.Contains("hash mismatch", row.GetString("MediaError"), StringComparison.Ordinal);
        Assert.Equal("media-1", row.GetString("MediaFailedId"));
        Assert.Equal(FixedTime.Default.ToUnixTimeSeconds(), row.GetInt64("MediaFailedAt"));
        var quarantined = Assert.Single(await h.QuarantineAsync());
        Assert.Equal(PhoneNumberId, quarantined.PartitionKey);
        Assert.Contains("hash mismatch", quarantined.Reason, StringComparison.Ordinal);
        Assert.Contains("\"mediaId\":\"media-1\"", quarantined.Message, StringComparison.Ordinal);
        // Permanent: no copy of the job waits on the queue, visible or not.
        Assert.Equal(0, await h.QueuedJobCountAsync());
    }

    [Fact]
    public async Task A_follow_up_that_arrived_before_its_placeholder_is_archived_when_the_placeholder_is_stored()
    {
        await using var h = await MediaHarness.CreateAsync();
        var bytes = MediaHarness.Content("a photo whose follow-up came first");
        h.StandIn.Serve("871203954416626", bytes, "image/jpeg");
        // The follow-up first: its job finds no row and waits (a retry copy, invisible for 30 s); nothing is asked.
        await h.DeliverAsync(Partner("history", $$$"""
            "messages":[{"from":"{{{MediaHarness.Customer}}}","id":"wamid.f/2","timestamp":"1717650031","type":"image",
              "image":{"id":"871203954416626","mime_type":"image/jpeg","sha256":"{{{MediaHarness.Base64Sha256(bytes)}}}"}}]
            """));
        Assert.Equal([MediaOutcome.Retried], await h.MediaDrainer.DrainAsync(default));
        Assert.Empty(h.StandIn.Requests);

        // The placeholder's chunk applies the waiting follow-up and queues its media again, now with a row to name it on.
        await h.DeliverAsync(HistoryChunk(1, 1, 50, Thread(MediaHarness.Customer, Placeholder("wamid.f/2", MediaHarness.Customer, 1_717_650_000))));
        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));

        Assert.Equal(h.Blob("wamid.f/2", "871203954416626").Name, (await h.ChatRowAsync("wamid.f/2")).GetString("FollowUpMediaBlob"));
        Assert.Single(h.StandIn.FileRequests);
    }

    [Fact]
    public async Task A_history_follow_ups_media_is_named_on_the_follow_up_columns_of_its_placeholders_row()
    {
        await using var h = await MediaHarness.CreateAsync();
        var bytes = MediaHarness.Content("a video the customer sent before onboarding");
        h.StandIn.Serve("871203954416625", bytes, "video/mp4");
        await h.DeliverAsync(HistoryChunk(1, 1, 50, Thread(MediaHarness.Customer, Placeholder("wamid.f/1", MediaHarness.Customer, 1_717_650_000))));
        await h.DeliverAsync(Partner("history", $$$"""
            "messages":[{"from":"{{{MediaHarness.Customer}}}","id":"wamid.f/1","timestamp":"1717650031","type":"video",
              "video":{"id":"871203954416625","mime_type":"video/mp4","sha256":"{{{MediaHarness.Base64Sha256(bytes)}}}"}}]
            """));

        Assert.Equal([MediaOutcome.Archived], await h.MediaDrainer.DrainAsync(default));

        var row = await h.ChatRowAsync("wamid.f/1");
        Assert.Equal(h.Blob("wamid.f/1", "871203954416625").Name, row.GetString("FollowUpMediaBlob"));
        Assert.Equal(bytes.Length, row.GetInt64("FollowUpMediaBytes"));
        Assert.Null(row.GetString("MediaBlob"));
        Assert.Equal(bytes, (await h.Blob("wamid.f/1", "871203954416625").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task Without_a_usable_hash_in_the_webhook_the_lookups_sha256_verifies_the_file()
    {
        await using var h = await MediaHarness.CreateAsync();
        var good = MediaHarness.Content("a photo whose webhook sent no hash");
        var bad = MediaHarness.Content("a photo the lookup misdescribes");
        h.StandIn.Serve("media-good", good, "image/jpeg");
        h.StandIn.Serve("media-bad", bad, "image/jpeg", lookupSha256: Convert.ToBase64String(SHA256.HashData(good)));
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.g/1", "media-good", "not a hash"));
        await h.DeliverAsync(MediaHarness.ImageEcho("wamid.b/1", "media-bad", ""));

        Assert.Equal([MediaOutcome.Archived, MediaOutcome.Failed], (await h.MediaDrainer.DrainAsync(default)).Order());

        Assert.Equal(good, (await h.Blob("wamid.g/1", "media-good").DownloadContentAsync()).Value.Content.ToArray());
        Assert.False((await h.Blob("wamid.b/1", "media-bad").ExistsAsync()).Value);
        Assert.StartsWith("hash mismatch", (await h.ChatRowAsync("wamid.b/1")).GetString("MediaError"));
    }
}
