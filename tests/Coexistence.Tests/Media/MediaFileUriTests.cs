using Coexistence.Media;

namespace Coexistence.Tests.Media;

/// <summary>
/// Where the file is fetched from (docs/media.md, "Providers"): Meta's lookup url as it is; 360dialog's, which names
/// Meta's lookaside host, moved onto 360dialog's base URL (its path prefix kept), path and query intact.
/// </summary>
public class MediaFileUriTests
{
    private const string Lookaside = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=123&ext=1&hash=abc";

    private static MediaSource D360(string baseUrl) => new(MediaOptions.D360, new Uri(baseUrl), "key", MediaOptions.DefaultThrottleKey);

    [Fact]
    public void A_360dialog_url_goes_to_the_base_urls_host_with_its_path_and_query()
    {
        Assert.Equal(new Uri("https://waba-v2.360dialog.io/whatsapp_business/attachments/?mid=123&ext=1&hash=abc"),
            MediaDownloader.FileUri(D360("https://waba-v2.360dialog.io/"), Lookaside));
    }

    [Fact]
    public void A_360dialog_base_url_with_a_path_prefixes_the_files_path()
    {
        Assert.Equal(new Uri("http://127.0.0.1:8080/proxy/v2/whatsapp_business/attachments/?mid=123&ext=1&hash=abc"),
            MediaDownloader.FileUri(D360("http://127.0.0.1:8080/proxy/v2/"), Lookaside));
    }

    [Fact]
    public void A_meta_url_is_fetched_as_the_lookup_named_it()
    {
        var meta = new MediaSource(MediaOptions.Meta, new Uri("https://graph.facebook.com/v23.0/"), "token", MediaOptions.DefaultThrottleKey);
        Assert.Equal(new Uri(Lookaside), MediaDownloader.FileUri(meta, Lookaside));
    }

    [Theory]
    [InlineData("ftp://lookaside.fbsbx.com/file")]
    [InlineData("/whatsapp_business/attachments/?mid=123")]
    [InlineData("not a url")]
    public void A_url_that_is_not_absolute_http_is_a_fetch_failure_not_a_request(string url)
    {
        var error = Assert.Throws<MediaFetchException>(() => MediaDownloader.FileUri(D360("https://waba-v2.360dialog.io/"), url));
        Assert.False(error.Permanent);
        Assert.Contains("not an http(s) URL", error.Message, StringComparison.Ordinal);
    }
}
