using Coexistence.Media;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Cli;

/// <summary>
/// The media archive through the CLI (docs/cli.md, docs/media.md): <c>ingest</c> of the bundled samples archives their two
/// media files from a stand-in provider on loopback (the demo's run), <c>show messages</c> says so, and
/// <c>media fetch</c> queues and runs what is missing.
/// </summary>
public class MediaCommandTests
{
    private const string Number = "106540352242922";
    private const string Oliver = "447700900123";
    private const string EchoImage = "1183420917593624";
    private const string FollowUpImage = "1089347765183452";

    private static async Task<MediaProviderStandIn> SamplesProviderAsync()
    {
        var standIn = await MediaProviderStandIn.StartAsync();
        foreach (var id in new[] { EchoImage, FollowUpImage })
            standIn.Serve(id, File.ReadAllBytes(Repository.PathOf($"samples/media/{id}.jpg")), "image/jpeg");
        return standIn;
    }

    private static Dictionary<string, string> Settings(MediaProviderStandIn standIn) => new()
    {
        ["Media__Provider"] = MediaOptions.Meta, ["Media__BaseUrl"] = standIn.BaseUrl, ["Media__AccessToken"] = "cli-token",
    };

    private static Task<CliRun> RunAsync(StorageClients storage, IReadOnlyDictionary<string, string>? settings, params string[] args) =>
        CliRun.RunAsync(storage.Names, args, environment: settings);

    private static async Task<byte[]> FileAsync(StorageClients storage, string wamid, string mediaId) =>
        (await storage.Container(storage.Names.MediaContainer).GetBlobClient(MessagesTable.MediaBlobName(Number, wamid, mediaId))
            .DownloadContentAsync()).Value.Content.ToArray();

    [Fact]
    public async Task Ingesting_the_samples_archives_their_media_files_as_the_demo_shows()
    {
        var storage = await Azurite.NewStorageAsync();
        await using var standIn = await SamplesProviderAsync();

        var ingest = await RunAsync(storage, Settings(standIn), "ingest", Repository.PathOf("samples"));

        Assert.Equal(0, ingest.ExitCode);
        // The follow-up (03) is processed before its placeholder (05): its job and the one the placeholder's write queues again
        // for it run in the same drain, the second finding the file archived.
        Assert.Equal("media: archived 2, already-archived 1", ingest.OutLines[^2]);
        Assert.StartsWith("summary: accepted 16, rejected 0", ingest.OutLines[^1]);
        // The samples' sha256 values are the bundled files' (one base64, one hex): both verified, the files stored as served.
        Assert.Equal(File.ReadAllBytes(Repository.PathOf($"samples/media/{EchoImage}.jpg")),
            await FileAsync(storage, "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURENCRTU1RTlCNTIzRUJFMzAzQUS+/OUA", EchoImage));
        Assert.Equal(File.ReadAllBytes(Repository.PathOf($"samples/media/{FollowUpImage}.jpg")),
            await FileAsync(storage, "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUM0JGMzczQUREQjQyRTBDMjg4RUJofi+/AA==", FollowUpImage));
        Assert.All(standIn.Requests, r => Assert.Equal("Bearer cli-token", r.Authorization));

        var show = await RunAsync(storage, Settings(standIn), "show", "messages", Number, Oliver);
        var images = show.OutLines.Where(l => l.Contains(" image ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, images.Count);
        Assert.All(images, l => Assert.Contains(" archived ", l));
        Assert.Contains(show.OutLines, l => l.Contains(" text ", StringComparison.Ordinal) && l.Contains(" -  ", StringComparison.Ordinal));

        var again = await RunAsync(storage, Settings(standIn), "media", "fetch", Number);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(["summary: media 2, archived before 2, failed before 0, queued 0"], again.OutLines);
        Assert.Equal(2, standIn.FileRequests.Count);
    }

    [Fact]
    public async Task Media_fetch_archives_what_was_stored_before_archiving_was_on_since_a_day_or_for_the_function_app()
    {
        var storage = await Azurite.NewStorageAsync();
        await using var standIn = await SamplesProviderAsync();
        var ingest = await RunAsync(storage, null, "ingest", Repository.PathOf("samples"));
        Assert.DoesNotContain(ingest.OutLines, l => l.StartsWith("media:", StringComparison.Ordinal));
        Assert.Empty(standIn.Requests);

        // The echo image was sent on 2024-06-10, the follow-up's on 2024-06-02: only the first is on or after the 5th.
        var queued = await RunAsync(storage, Settings(standIn), "media", "fetch", Number, "--since", "2024-06-05", "--no-drain");
        Assert.Equal(["summary: media 1, archived before 0, failed before 0, queued 1, for the Function App"], queued.OutLines);
        Assert.Empty(standIn.Requests);
        Assert.Equal(1, (await storage.Queue(storage.Names.MediaQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // Neither is archived yet, so both are queued; the drain also runs the job left for the Function App: a duplicate, harmless.
        var fetched = await RunAsync(storage, Settings(standIn), "media", "fetch", Number);
        Assert.Equal(["media: archived 2, already-archived 1", "summary: media 2, archived before 0, failed before 0, queued 2"], fetched.OutLines);
        Assert.Equal(2, standIn.FileRequests.Count);
    }

    [Fact]
    public async Task Media_fetch_without_a_provider_is_a_usage_error_and_a_bad_day_too()
    {
        var storage = await Azurite.NewStorageAsync();

        var off = await RunAsync(storage, null, "media", "fetch", Number);
        Assert.Equal(2, off.ExitCode);
        Assert.Empty(off.OutLines);
        Assert.StartsWith($"error: media of {Number} are not archived", off.ErrorLines.Single());

        var badDay = await RunAsync(storage, null, "media", "fetch", Number, "--since", "June");
        Assert.Equal(2, badDay.ExitCode);
        Assert.Contains(badDay.ErrorLines, l => l.Contains("Invalid --since 'June'", StringComparison.Ordinal));
    }
}
