using Coexistence.Media;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Media;

/// <summary>
/// The media archive keeps the pipeline's promise (<see cref="EndToEnd.ConvergenceTests"/>): any delivery order, with
/// duplicates, and the media jobs run at any point between deliveries, any number of times, end in the same tables and
/// the same blobs, each file fetched once. Fixed seeds: the orders are the same on every run, so a failure reproduces.
/// </summary>
public class MediaConvergenceTests
{
    private static readonly byte[] Menu = MediaHarness.Content("the menu the business sent, as an image");
    private static readonly byte[] Video = MediaHarness.Content("the customer's video, sent before onboarding");

    /// <summary>A business image (the message's own media), and a customer's video: a history placeholder and its follow-up.</summary>
    private static List<byte[]> Story() =>
    [
        MediaHarness.ImageEcho("wamid.e/1", "media-e", MediaHarness.Base64Sha256(Menu)),
        HistoryChunk(1, 1, 50, Thread(MediaHarness.Customer, Placeholder("wamid.f/1", MediaHarness.Customer, 1_717_650_000),
            Text("wamid.t/1", MediaHarness.Customer, 1_717_650_100, "did you get it?"))),
        Partner("history", $$$"""
            "messages":[{"from":"{{{MediaHarness.Customer}}}","id":"wamid.f/1","timestamp":"1717650031","type":"video",
              "video":{"id":"media-f","mime_type":"video/mp4","sha256":"{{{MediaHarness.Base64Sha256(Video)}}}"}}]
            """),
    ];

    [Fact]
    public async Task Deliveries_and_media_jobs_in_any_order_with_duplicates_end_in_the_same_rows_and_blobs()
    {
        var story = Story();
        var outcomes = new List<MediaOutcome>();
        var reference = await RunAsync(story, new Random(0), drainBetween: false, outcomes);
        Assert.Contains(reference.Rows, r => r.Contains("MediaBlob=" + MessagesTable.MediaBlobName(PhoneNumberId, "wamid.e/1", "media-e"),
            StringComparison.Ordinal));
        Assert.Contains(reference.Rows, r => r.Contains("FollowUpMediaBlob=" + MessagesTable.MediaBlobName(PhoneNumberId, "wamid.f/1", "media-f"),
            StringComparison.Ordinal));
        Assert.Equal(
            [
                (MessagesTable.MediaBlobName(PhoneNumberId, "wamid.e/1", "media-e"), Convert.ToBase64String(Menu), "image/jpeg"),
                (MessagesTable.MediaBlobName(PhoneNumberId, "wamid.f/1", "media-f"), Convert.ToBase64String(Video), "video/mp4"),
            ],
            reference.Blobs);

        for (var seed = 1; seed <= 6; seed++)
        {
            var rng = new Random(seed);
            var deliveries = story.Concat(story.Where(_ => rng.Next(2) == 0)).OrderBy(_ => rng.Next()).ToList();
            var run = await RunAsync(deliveries, rng, drainBetween: true, outcomes);
            Assert.Equal(reference.Rows, run.Rows);
            Assert.Equal(reference.Blobs, run.Blobs);
        }
        // The seeds did run a follow-up's job before its placeholder was stored, and a job twice.
        Assert.Contains(MediaOutcome.Retried, outcomes);
        Assert.Contains(MediaOutcome.AlreadyArchived, outcomes);
    }

    private static async Task<(IReadOnlyList<string> Rows, IReadOnlyList<(string Name, string Content, string ContentType)> Blobs)> RunAsync(
        IEnumerable<byte[]> deliveries, Random rng, bool drainBetween, List<MediaOutcome> outcomes)
    {
        await using var h = await MediaHarness.CreateAsync();
        h.StandIn.Serve("media-e", Menu, "image/jpeg");
        h.StandIn.Serve("media-f", Video, "video/mp4");
        foreach (var body in deliveries)
        {
            await h.DeliverAsync(body);
            // Some jobs run before later deliveries: the follow-up's before its placeholder is stored, say (it waits).
            if (drainBetween && rng.Next(2) == 0) outcomes.AddRange(await h.MediaDrainer.DrainAsync(default));
        }
        outcomes.AddRange(await h.MediaDrainer.DrainAsync(default));
        Assert.DoesNotContain(MediaOutcome.Failed, outcomes);

        // Every job ever sent (the new ones again, and the copies still invisible on the queue), once more in any order:
        // each message is stored now, so each is archived or finds its file archived already.
        var again = h.Jobs.Sent.Select(s => s.Job).OrderBy(_ => rng.Next()).ToList();
        foreach (var job in again)
        {
            var outcome = await h.Archiver.ProcessAsync(MediaJobFormat.Serialize(job), default);
            Assert.Contains(outcome, new[] { MediaOutcome.Archived, MediaOutcome.AlreadyArchived });
            outcomes.Add(outcome);
        }

        // However often the jobs ran, each file was fetched once.
        Assert.Equal(["/files/media-e", "/files/media-f"], h.StandIn.FileRequests.Select(r => r.Path).Order(StringComparer.Ordinal));
        var blobs = new List<(string, string, string)>();
        foreach (var name in (await h.BlobNamesAsync()).Order(StringComparer.Ordinal))
        {
            var content = (await h.Storage.Container(h.Storage.Names.MediaContainer).GetBlobClient(name).DownloadContentAsync()).Value;
            blobs.Add((name, Convert.ToBase64String(content.Content.ToArray()), content.Details.ContentType));
        }
        return (await TableDump.DumpAsync(h.Storage), blobs);
    }
}
