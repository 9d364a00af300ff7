using System.Text;
using Azure.Storage.Blobs.Models;
using Coexistence.Media;
using Coexistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Coexistence.Tests.Operations.EraseTestBodies;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Operations;

/// <summary>
/// Erasures and the media archive (docs/media.md, "Erasure"): a customer's files go with their messages, a number's with
/// the number, and a media job queued before a number's erasure downloads nothing after it.
/// </summary>
public class EraseMediaTests
{
    private static byte[] ImageEcho(string to, string wamid, string mediaId, string number = Number) =>
        Meta("smb_message_echoes", $$$"""
            "message_echoes":[{"from":"15550783881","to":"{{{to}}}","id":"{{{wamid}}}","timestamp":"1700000100","type":"image",
              "image":{"id":"{{{mediaId}}}","mime_type":"image/jpeg","sha256":"abc"}}]
            """, number);

    /// <summary>A file where the archiver stores a message's media (its own tests run it; here only the folder matters).</summary>
    private static async Task PutFileAsync(StorageClients storage, string number, string wamid, string mediaId) =>
        await storage.Container(storage.Names.MediaContainer).GetBlobClient(Tables.MessagesTable.MediaBlobName(number, wamid, mediaId))
            .UploadAsync(BinaryData.FromString("jpeg of " + wamid));

    private static async Task<List<string>> FilesAsync(StorageClients storage)
    {
        var names = new List<string>();
        await foreach (var blob in storage.Container(storage.Names.MediaContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, null, default))
            names.Add(blob.Name);
        return names;
    }

    private static async Task<PipelineHarness> AnnBobAndAnotherNumberAsync(ManualTime time, Action<IServiceCollection>? configure = null)
    {
        var h = await PipelineHarness.CreateAsync(time, configure: configure);
        await h.DeliverAllAsync([ImageEcho(Ann, "wamid.ann/1", "m-ann"), ImageEcho(Bob, "wamid.bob/1", "m-bob"),
            ImageEcho(Ann, "wamid.other/1", "m-other", Other)]);
        await PutFileAsync(h.Storage, Number, "wamid.ann/1", "m-ann");
        await PutFileAsync(h.Storage, Number, "wamid.bob/1", "m-bob");
        await PutFileAsync(h.Storage, Other, "wamid.other/1", "m-other");
        return h;
    }

    [Fact]
    public async Task Erasing_a_customer_deletes_the_files_of_their_messages_only_and_the_plan_counts_them()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await AnnBobAndAnotherNumberAsync(time);
        var erasure = h.Get<CustomerErasure>();

        var plan = await erasure.PlanAsync(Number, Ann, default);
        Assert.Equal(1, plan.Counts.BlobsDeleted);
        Assert.Equal(3, (await FilesAsync(h.Storage)).Count);

        time.Now = FixedTime.Default.AddMinutes(5);
        var result = await erasure.RunAsync(Number, Ann, "dpo", default);

        Assert.Equal(plan.Counts, result.Counts);
        Assert.Equal([Tables.MessagesTable.MediaBlobName(Number, "wamid.bob/1", "m-bob"), Tables.MessagesTable.MediaBlobName(Other, "wamid.other/1", "m-other")],
            (await FilesAsync(h.Storage)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Erasing_a_number_deletes_its_files_and_leaves_another_numbers()
    {
        var time = new ManualTime(FixedTime.Default);
        var h = await AnnBobAndAnotherNumberAsync(time);
        var erasure = h.Get<NumberErasure>();
        var rawBlobs = (await BlobsAsync(h.Storage, Number + "/")).Count;

        var plan = await erasure.PlanAsync(Number, default);
        Assert.Equal(rawBlobs + 2, plan.Counts.BlobsDeleted);
        time.Now = FixedTime.Default.AddMinutes(5);
        var result = await erasure.RunAsync(Number, "dpo", default);

        Assert.Equal(rawBlobs + 2, result.Counts.BlobsDeleted);
        Assert.Equal([Tables.MessagesTable.MediaBlobName(Other, "wamid.other/1", "m-other")], await FilesAsync(h.Storage));
    }

    [Fact]
    public async Task A_media_job_queued_before_its_numbers_erasure_is_dropped_without_a_request()
    {
        var time = new ManualTime(FixedTime.Default);
        // A provider no request may reach: the port of a closed listener (a request would be a connection error: retried, not erased).
        var h = await AnnBobAndAnotherNumberAsync(time, s => s.Configure<MediaOptions>(o =>
            (o.Provider, o.BaseUrl, o.AccessToken) = ("meta", "http://127.0.0.1:9/", "token")));
        var queue = h.Storage.Queue(h.Storage.Names.MediaQueue);
        var queued = (await queue.PeekMessagesAsync(32)).Value;
        Assert.NotEmpty(queued); // the deliveries above queued the jobs (their files were put in place by hand)
        var annJob = queued.Select(m => m.Body.ToArray()).Single(b => Encoding.UTF8.GetString(b).Contains("wamid.ann/1", StringComparison.Ordinal));

        time.Now = FixedTime.Default.AddMinutes(5);
        await h.Get<NumberErasure>().RunAsync(Number, "dpo", default);

        Assert.Equal(MediaOutcome.Erased, await h.Get<MediaArchiver>().ProcessAsync(annJob, default));
        Assert.Empty(await RowsOfAsync(h.Storage, h.Storage.Names.QuarantineTable, Number));
        Assert.DoesNotContain(await FilesAsync(h.Storage), f => f.StartsWith(Number + "/", StringComparison.Ordinal));
    }
}
