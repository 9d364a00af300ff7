using Coexistence.Media;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Media;

/// <summary>
/// Section <c>Media</c> is checked at start-up (docs/media.md, "Settings"): the host refuses settings that could only
/// fail every download, and says which setting is wrong without echoing a secret. Also how a number's source resolves.
/// </summary>
public class MediaOptionsTests
{
    [Fact]
    public void An_unknown_provider_is_refused_by_name()
    {
        var error = TestServices.SettingsError(("Media:Provider", "carrier-pigeon"), ("Media:AccessToken", "t"));
        Assert.Contains("Media:Provider must be meta or 360dialog", error, StringComparison.Ordinal);
        Assert.Contains("'carrier-pigeon'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Meta_without_an_access_token_and_360dialog_without_an_api_key_are_refused()
    {
        Assert.Contains("Media:AccessToken is required with the meta provider", TestServices.SettingsError(("Media:Provider", "meta")),
            StringComparison.Ordinal);
        // A Meta token is no 360dialog key: the check asks for the credential the provider takes.
        Assert.Contains("Media:ApiKey is required with the 360dialog provider",
            TestServices.SettingsError(("Media:Provider", "360dialog"), ("Media:AccessToken", "a-meta-token")), StringComparison.Ordinal);
        Assert.Contains("Media:Numbers:106540352242922:ApiKey is required",
            TestServices.SettingsError(("Media:Numbers:106540352242922:Provider", "360dialog")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_numbers_key_that_is_not_a_phone_number_id_is_refused()
    {
        var error = TestServices.SettingsError(("Media:Numbers:+15550783881:Provider", "meta"), ("Media:Numbers:+15550783881:AccessToken", "t"));
        Assert.Contains("Media:Numbers:+15550783881 is not a phone_number_id", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("graph.facebook.com/v23.0")]
    [InlineData("ftp://graph.facebook.com")]
    public void A_base_url_that_is_not_an_absolute_http_url_is_refused(string baseUrl)
    {
        var error = TestServices.SettingsError(("Media:Provider", "meta"), ("Media:AccessToken", "secret-token-value"), ("Media:BaseUrl", baseUrl));
        Assert.Contains("Media:BaseUrl must be an absolute http(s) URL", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-value", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IdLifetimeDays", "0", "from 1 to 30")]
    [InlineData("IdLifetimeDays", "31", "from 1 to 30")]
    [InlineData("MaxBytes", "0", "at least 1")]
    [InlineData("TimeoutSeconds", "0", "from 1 to 600")]
    [InlineData("TimeoutSeconds", "601", "from 1 to 600")]
    [InlineData("MaxAttempts", "0", "from 1 to 50")]
    [InlineData("MaxAttempts", "51", "from 1 to 50")]
    [InlineData("ErrorBudgetPerHour", "0", "from 1 to 1000")]
    [InlineData("ErrorPauseMinutes", "1441", "from 1 to 1440")]
    public void A_limit_out_of_its_range_is_refused_with_its_range(string setting, string value, string range)
    {
        var error = TestServices.SettingsError(("Media:Provider", "meta"), ("Media:AccessToken", "t"), ($"Media:{setting}", value));
        Assert.Contains($"Media:{setting} must be {range}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_with_its_own_credential_has_its_own_throttle_key_and_one_without_shares_the_default()
    {
        var options = new MediaOptions { Provider = "Meta", AccessToken = " partner-token " };
        options.Numbers["111"] = new MediaProviderOptions { AccessToken = "own-token" };
        options.Numbers["222"] = new MediaProviderOptions { BaseUrl = "https://proxy.example/graph" };

        Assert.Equal(new MediaSource(MediaOptions.Meta, new Uri(MediaOptions.MetaBaseUrl + "/"), "own-token", "111"), options.SourceFor("111"));
        Assert.Equal(new MediaSource(MediaOptions.Meta, new Uri("https://proxy.example/graph/"), "partner-token", MediaOptions.DefaultThrottleKey),
            options.SourceFor("222"));
        Assert.Equal(MediaOptions.DefaultThrottleKey, options.SourceFor("333")!.ThrottleKey);
        Assert.Null(new MediaOptions().SourceFor("333"));
        Assert.Null(options.Problem());
    }
}
