using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Coexistence.Tests.Support;
using Coexistence.Tests.Functions;

namespace Coexistence.Tests.ReadApi;

/// <summary>
/// <c>GET numbers/{id}/media?wamid=</c> (docs/api.md, docs/media.md): the archived file streamed from the media container,
/// and the archive state the message views carry. The archive's columns are written here as the archiver writes them
/// (its own tests, Media/, run it against a stand-in provider); this is about what the read side makes of them.
/// </summary>
public class MediaFileTests
{
    private const string PhoneNumberId = "106540352242922";
    private const string Wamid = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURENCRTU1RTlCNTIzRUJFMzAzQUS+/OUA";
    private const string MediaId = "1183420917593624";
    private static readonly byte[] File = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 0xFF, 0xD9];

    private static string Query => "wamid=" + Uri.EscapeDataString(Wamid);

    private static async Task<ReadApiHarness> WithImageEchoAsync()
    {
        var h = await ReadApiHarness.CreateAsync();
        await h.Pipeline.DeliverAsync(Fixtures.Bytes("meta-echo-image.json"));
        return h;
    }

    private static async Task ArchiveAsync(ReadApiHarness h, string mediaId, byte[] bytes, long fetchedAt)
    {
        var storage = h.Pipeline.Storage;
        var blob = storage.Container(storage.Names.MediaContainer).GetBlobClient(MessagesTable.MediaBlobName(PhoneNumberId, Wamid, mediaId));
        await blob.UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" } });
        var columns = MessagesTable.Columns.ArchiveOf(MessagesTable.Columns.Media);
        Assert.True(await h.Pipeline.Messages.MergeIntoChatRowAsync(PhoneNumberId, Wamid, _ => new Dictionary<string, object?>
        {
            [columns.Blob] = MessagesTable.MediaBlobName(PhoneNumberId, Wamid, mediaId),
            [columns.FetchedAt] = fetchedAt,
            [columns.Bytes] = (long)bytes.Length,
        }, default));
    }

    private static JsonElement ArchiveOf(FakeHttpResponse message) =>
        JsonDocument.Parse(message.BodyText).RootElement.GetProperty("media").GetProperty("archive");

    [Fact]
    public async Task An_archived_file_is_streamed_as_an_attachment_with_its_content_type_and_length()
    {
        var h = await WithImageEchoAsync();
        await ArchiveAsync(h, MediaId, File, 1_764_000_000);

        var response = await h.MediaAsync(PhoneNumberId, Query);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(File, ((MemoryStream)response.Body).ToArray());
        Assert.Equal("image/jpeg", response.Header("Content-Type"));
        Assert.Equal("attachment", response.Header("Content-Disposition"));
        Assert.Equal(File.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Content-Length"));
        Assert.Equal("no-store", response.Header("Cache-Control"));

        var archive = ArchiveOf(await h.MessageAsync(PhoneNumberId, Query));
        Assert.Equal("archived", archive.GetProperty("state").GetString());
        Assert.Equal(1_764_000_000, archive.GetProperty("fetchedAt").GetInt64());
        Assert.Equal(File.Length, archive.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task Without_archiving_a_media_file_has_no_archive_state_and_no_file()
    {
        var h = await WithImageEchoAsync();

        Assert.Equal(JsonValueKind.Null, ArchiveOf(await h.MessageAsync(PhoneNumberId, Query)).ValueKind);
        var response = await h.MediaAsync(PhoneNumberId, Query);
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("media-not-archived", JsonDocument.Parse(response.BodyText).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_recorded_failure_is_the_state_and_the_reason_of_the_404()
    {
        var h = await WithImageEchoAsync();
        var columns = MessagesTable.Columns.ArchiveOf(MessagesTable.Columns.Media);
        await h.Pipeline.Messages.MergeIntoChatRowAsync(PhoneNumberId, Wamid, _ => new Dictionary<string, object?>
        {
            [columns.Error] = "hash mismatch: the file's SHA-256 is not the webhook's",
            [columns.FailedAt] = 1_764_000_100L,
            [columns.FailedId] = MediaId,
        }, default);

        var archive = ArchiveOf(await h.MessageAsync(PhoneNumberId, Query));
        Assert.Equal("failed", archive.GetProperty("state").GetString());
        Assert.Equal(1_764_000_100, archive.GetProperty("failedAt").GetInt64());
        var response = await h.MediaAsync(PhoneNumberId, Query);
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("hash mismatch", JsonDocument.Parse(response.BodyText).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_file_of_another_media_id_or_a_deleted_blob_is_not_served()
    {
        var h = await WithImageEchoAsync();
        // The row names the blob of a media id that is not the message's (a stale name): not this message's file.
        await ArchiveAsync(h, "another-media-id", File, 1_764_000_000);
        Assert.Equal(404, (int)(await h.MediaAsync(PhoneNumberId, Query)).StatusCode);

        // Named and then deleted (the container's lifecycle rule): missing, not a 500.
        await ArchiveAsync(h, MediaId, File, 1_764_000_000);
        var storage = h.Pipeline.Storage;
        await storage.Container(storage.Names.MediaContainer).DeleteBlobAsync(MessagesTable.MediaBlobName(PhoneNumberId, Wamid, MediaId));
        var response = await h.MediaAsync(PhoneNumberId, Query);
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("media-not-archived", JsonDocument.Parse(response.BodyText).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_wamid_is_no_message_and_a_missing_one_a_bad_parameter()
    {
        var h = await WithImageEchoAsync();
        var unknown = await h.MediaAsync(PhoneNumberId, "wamid=wamid.unknown");
        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Equal("message-not-found", JsonDocument.Parse(unknown.BodyText).RootElement.GetProperty("code").GetString());
        Assert.Equal(400, (int)(await h.MediaAsync(PhoneNumberId, "")).StatusCode);
    }
}
