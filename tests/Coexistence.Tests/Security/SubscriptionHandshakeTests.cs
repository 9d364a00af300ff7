using System.Net;
using Coexistence.Functions;
using Coexistence.Tests.Functions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Security;

/// <summary>Meta's GET handshake, through the function class.</summary>
public class SubscriptionHandshakeTests
{
    private static async Task<FakeHttpResponse> GetAsync(string query, params string[] verifyTokens)
    {
        var door = await DoorHarness.CreateAsync(new WebhookAuthOptions { VerifyTokens = [.. verifyTokens] });
        var function = new VerifyWebhookSubscription(door.Door);
        return (FakeHttpResponse)await function.Run(new FakeHttpRequest([], "GET", "http://localhost/api/webhooks?" + query), default);
    }

    [Fact]
    public async Task A_known_verify_token_gets_the_challenge_back_as_plain_text()
    {
        var response = await GetAsync("hub.mode=subscribe&hub.verify_token=second&hub.challenge=1158201444", "first", "second");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1158201444", response.BodyText);
        Assert.StartsWith("text/plain", response.Header("Content-Type"));
    }

    [Theory]
    [InlineData("hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")]
    [InlineData("hub.mode=unsubscribe&hub.verify_token=first&hub.challenge=1")]
    [InlineData("hub.verify_token=first&hub.challenge=1")]
    [InlineData("hub.mode=subscribe&hub.challenge=1")]
    [InlineData("hub.mode=subscribe&hub.verify_token=first")]
    public async Task Anything_else_gets_403(string query)
    {
        var response = await GetAsync(query, "first");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("first", response.BodyText);
    }

    [Fact]
    public async Task Without_configured_tokens_every_handshake_is_refused()
    {
        var response = await GetAsync("hub.mode=subscribe&hub.verify_token=&hub.challenge=1");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_oversized_challenge_is_not_echoed()
    {
        var response = await GetAsync($"hub.mode=subscribe&hub.verify_token=first&hub.challenge={new string('a', 5000)}", "first");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
