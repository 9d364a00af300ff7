using System.Security.Cryptography;
using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Security;

public class DoorAuthenticationTests
{
    private const string ProviderSecret = "partner-platform-secret";
    private const string NextProviderSecret = "rotated-partner-secret";
    private const string MetaSecret = "meta-app-secret";

    private static readonly byte[] Body = Echo(EchoText("wamid.auth/1", "15551234567", 1_700_000_000, "signed"));

    /// <summary>Computed here, independently of the code under test.</summary>
    internal static string Hmac(string secret, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static WebhookAuthOptions Signed() => new() { ProviderSecrets = [ProviderSecret, NextProviderSecret], MetaAppSecrets = [MetaSecret] };

    public static TheoryData<string, string> AcceptedSignatures() => new()
    {
        { WebhookAuthenticator.ProviderSignatureHeader, Hmac(ProviderSecret, Body) },
        { WebhookAuthenticator.ProviderSignatureHeader, "sha256=" + Hmac(ProviderSecret, Body) },
        { WebhookAuthenticator.ProviderSignatureHeader, Hmac(ProviderSecret, Body).ToUpperInvariant() },
        { WebhookAuthenticator.ProviderSignatureHeader, Hmac(NextProviderSecret, Body) },
        { "X-Hub-Signature-256", "sha256=" + Hmac(MetaSecret, Body) },
    };

    [Theory]
    [MemberData(nameof(AcceptedSignatures))]
    public async Task A_valid_signature_from_any_configured_secret_is_accepted(string header, string value)
    {
        var door = await DoorHarness.CreateAsync(Signed());
        var response = await door.PostAsync(Body, (header, value));
        Assert.Equal(202, response.Status);
    }

    public static TheoryData<string, string> RefusedSignatures() => new()
    {
        { WebhookAuthenticator.ProviderSignatureHeader, Hmac("someone-else", Body) },
        { WebhookAuthenticator.ProviderSignatureHeader, Hmac(ProviderSecret, Encoding.UTF8.GetBytes("another body")) },
        { WebhookAuthenticator.ProviderSignatureHeader, Hmac(MetaSecret, Body) },           // Meta's secret on the provider's header
        { "X-Hub-Signature-256", Hmac(MetaSecret, Body) },                                // Meta's header requires the sha256= prefix
        { "X-Hub-Signature-256", "sha256=" + Hmac(ProviderSecret, Body) },
        { WebhookAuthenticator.ProviderSignatureHeader, "sha256=" + Hmac(ProviderSecret, Body)[..63] },
        { WebhookAuthenticator.ProviderSignatureHeader, "not hex at all, not hex at all, not hex at all, not hex at all!!!" },
        { WebhookAuthenticator.ProviderSignatureHeader, "" },
    };

    [Theory]
    [MemberData(nameof(RefusedSignatures))]
    public async Task A_wrong_signature_gets_401_and_nothing_is_stored(string header, string value)
    {
        var door = await DoorHarness.CreateAsync(Signed());
        var response = await door.PostAsync(Body, (header, value));
        Assert.Equal(401, response.Status);
        Assert.Equal("unauthenticated", DoorHarness.Code(response));
        Assert.Equal((0, 0, 0), await door.StoredAsync());
        Assert.DoesNotContain(ProviderSecret, DoorHarness.Text(response));
    }

    [Fact]
    public async Task A_missing_signature_gets_401_when_a_secret_is_configured_and_passes_when_none_is()
    {
        var guarded = await DoorHarness.CreateAsync(Signed());
        Assert.Equal(401, (await guarded.PostAsync(Body)).Status);

        var open = await DoorHarness.CreateAsync(new WebhookAuthOptions());
        Assert.Equal(202, (await open.PostAsync(Body)).Status);
    }

    [Fact]
    public async Task The_static_header_token_is_required_when_configured_and_any_listed_value_passes()
    {
        var auth = new WebhookAuthOptions { HeaderName = "X-Coexistence-Token", HeaderTokens = ["old-token", "new-token"] };
        var door = await DoorHarness.CreateAsync(auth);

        Assert.Equal(401, (await door.PostAsync(Body)).Status);
        Assert.Equal(401, (await door.PostAsync(Body, ("X-Coexistence-Token", "new-token-but-longer"))).Status);
        Assert.Equal(401, (await door.PostAsync(Body, ("X-Coexistence-Token", "NEW-TOKEN"))).Status);
        Assert.Equal(202, (await door.PostAsync(Body, ("x-coexistence-token", "new-token"))).Status);
        Assert.Equal(202, (await door.PostAsync(Body, ("X-Coexistence-Token", "old-token"))).Status);
    }

    [Fact]
    public async Task Header_token_and_signature_are_both_required_when_both_are_configured()
    {
        var auth = Signed();
        auth.HeaderName = "X-Coexistence-Token";
        auth.HeaderTokens = ["token"];
        var door = await DoorHarness.CreateAsync(auth);
        var signature = (WebhookAuthenticator.ProviderSignatureHeader, Hmac(ProviderSecret, Body));

        Assert.Equal(401, (await door.PostAsync(Body, signature)).Status);
        Assert.Equal(401, (await door.PostAsync(Body, ("X-Coexistence-Token", "token"))).Status);
        Assert.Equal(202, (await door.PostAsync(Body, signature, ("X-Coexistence-Token", "token"))).Status);
    }

    [Fact]
    public async Task Every_authentication_failure_gets_the_same_401_body()
    {
        // Issue 17, finding 7: before, the detail named the failed check ("the X-Coexistence-Token header is missing",
        // "a signature is required ...", "the signature does not match the body").
        var auth = Signed();
        auth.HeaderName = "X-Coexistence-Token";
        auth.HeaderTokens = ["token"];
        var door = await DoorHarness.CreateAsync(auth);
        var goodSignature = (WebhookAuthenticator.ProviderSignatureHeader, Hmac(ProviderSecret, Body));
        (string, string)[][] failures =
        [
            [],                                                                          // nothing
            [goodSignature],                                                             // no token
            [("X-Coexistence-Token", "wrong"), goodSignature],                           // wrong token
            [("X-Coexistence-Token", "token")],                                          // no signature
            [("X-Coexistence-Token", "token"), (WebhookAuthenticator.ProviderSignatureHeader, Hmac("other", Body))], // wrong signature
        ];
        var bodies = new List<string>();
        foreach (var headers in failures)
        {
            var response = await door.PostAsync(Body, headers);
            Assert.Equal(401, response.Status);
            bodies.Add(DoorHarness.Text(response));
        }
        Assert.Single(bodies.Distinct());
        Assert.Equal("Refused: the request does not carry the configured webhook credentials.",
            System.Text.Json.JsonDocument.Parse(bodies[0]).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain("X-Coexistence-Token", bodies[0]);
        Assert.DoesNotContain("signature", bodies[0]);
    }

    [Fact]
    public void A_header_name_without_tokens_is_a_configuration_error()
    {
        Assert.Contains("WebhookAuth:HeaderName is set but WebhookAuth:HeaderTokens is empty",
            TestServices.SettingsError(("WebhookAuth:HeaderName", "X-Token")));
        Assert.Contains("WebhookAuth:HeaderTokens is set but WebhookAuth:HeaderName is empty",
            TestServices.SettingsError(("WebhookAuth:HeaderTokens:0", "t")));
    }
}
