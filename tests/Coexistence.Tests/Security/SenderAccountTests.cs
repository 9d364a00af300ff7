using System.Text;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Security;

/// <summary>
/// Issue 17, finding 4: with several secrets configured, any admitted sender could rewrite any number's rows (an echo edit
/// of another business's wamid, under an unrelated WABA id, was applied). A secret kind may now be limited to the accounts
/// it posts for (<c>WebhookAuth:ProviderAccounts</c>, <c>WebhookAuth:MetaAppAccounts</c>).
/// </summary>
public class SenderAccountTests
{
    private const string ProviderSecret = "partner-platform-secret";
    private const string MetaSecret = "meta-app-secret";
    private const string OtherAccount = "999888777666555";
    private const string Customer = "4915100000001";

    private static (string, string) ProviderSigned(byte[] body) => (WebhookAuthenticator.ProviderSignatureHeader, Hmac(ProviderSecret, body));
    private static (string, string) MetaSigned(byte[] body) => (WebhookAuthenticator.MetaSignatureHeader, "sha256=" + Hmac(MetaSecret, body));
    private static string Hmac(string secret, byte[] body) => DoorAuthenticationTests.Hmac(secret, body);

    /// <summary>The provider serves the business's account; the Meta app (a second sender) only <see cref="OtherAccount"/>.</summary>
    private static WebhookAuthOptions TwoSenders() => new() { ProviderSecrets = [ProviderSecret], MetaAppSecrets = [MetaSecret], MetaAppAccounts = [OtherAccount] };

    private static readonly byte[] Original = Echo(EchoText("wamid.acc/1", Customer, 1_700_000_000, "the business's words"));
    private static readonly byte[] Edit = Echo(EchoEdit("wamid.acc/2", Customer, 1_700_000_100, "wamid.acc/1", "words put in its mouth"));

    [Fact]
    public async Task A_second_sender_cannot_edit_a_message_of_an_account_it_does_not_post_for()
    {
        var door = await DoorHarness.CreateAsync(TwoSenders());
        Assert.Equal(202, (await door.PostAsync(Original, ProviderSigned(Original))).Status);
        await door.Pipeline.Drainer.DrainAsync(default);
        var before = await door.StoredAsync();

        // The Meta app's sender posts an edit of the business's message under the business's account.
        var refused = await door.PostAsync(Edit, MetaSigned(Edit));

        Assert.Equal(403, refused.Status);
        Assert.Equal(WebhookProblems.AccountNotAllowed, DoorHarness.Code(refused));
        Assert.Contains("\"pointer\":\"/entry/0/id\"", DoorHarness.Text(refused));
        Assert.DoesNotContain(WabaId, DoorHarness.Text(refused));
        Assert.Equal(before, await door.StoredAsync());
        Assert.Empty(await door.Pipeline.Drainer.DrainAsync(default));
        Assert.Equal("the business's words", (await door.Pipeline.Queries.GetMessageAsync(PhoneNumberId, "wamid.acc/1", default))!.Text);

        // The same edit from the sender that serves the account applies.
        Assert.Equal(202, (await door.PostAsync(Edit, ProviderSigned(Edit))).Status);
        await door.Pipeline.Drainer.DrainAsync(default);
        Assert.Equal("words put in its mouth", (await door.Pipeline.Queries.GetMessageAsync(PhoneNumberId, "wamid.acc/1", default))!.Text);
    }

    [Fact]
    public async Task A_limited_sender_posts_for_its_own_accounts_and_an_unlimited_one_for_any()
    {
        var door = await DoorHarness.CreateAsync(TwoSenders());
        var own = UnderAccount(Echo(EchoText("wamid.acc/3", Customer, 1_700_000_300, "own")), OtherAccount);
        var partner = UnderAccount(Contacts(ContactAdd(Customer, "Ada", "Ada", "1700000000")), OtherAccount);

        Assert.Equal(202, (await door.PostAsync(own, MetaSigned(own))).Status);
        Assert.Equal(202, (await door.PostAsync(partner, MetaSigned(partner))).Status);
        // The provider's secret has no list: any account.
        Assert.Equal(202, (await door.PostAsync(own, ProviderSigned(own))).Status);
        Assert.Equal(202, (await door.PostAsync(Original, ProviderSigned(Original))).Status);
    }

    [Fact]
    public async Task One_foreign_change_refuses_the_whole_body_and_so_does_a_change_that_names_no_account()
    {
        var door = await DoorHarness.CreateAsync(TwoSenders());
        var text = Encoding.UTF8.GetString(UnderAccount(Echo(EchoText("wamid.acc/4", Customer, 1_700_000_400, "mine")), OtherAccount));
        // A second entry under the business's account, after one of the sender's own.
        var entry = text[(text.IndexOf("[{", StringComparison.Ordinal) + 1)..text.LastIndexOf(']')];
        var twoEntries = Encoding.UTF8.GetBytes(text.Replace("[" + entry + "]", "[" + entry + "," + entry.Replace(OtherAccount, WabaId) + "]"));
        var noAccount = Encoding.UTF8.GetBytes(text.Replace($"\"id\":\"{OtherAccount}\",", ""));
        var partnerNoAccount = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Contacts(ContactAdd(Customer, "Ada", "Ada", "1700000000")))
            .Replace($"\"id\":\"{WabaId}\",", ""));

        var foreign = await door.PostAsync(twoEntries, MetaSigned(twoEntries));
        var unnamed = await door.PostAsync(noAccount, MetaSigned(noAccount));
        var partnerUnnamed = await door.PostAsync(partnerNoAccount, MetaSigned(partnerNoAccount));

        Assert.Equal((403, 403, 403), (foreign.Status, unnamed.Status, partnerUnnamed.Status));
        Assert.Contains("\"pointer\":\"/entry/1/id\"", DoorHarness.Text(foreign));
        Assert.Contains("names no account", DoorHarness.Text(unnamed));
        Assert.Contains("\"pointer\":\"/data/id\"", DoorHarness.Text(partnerUnnamed));
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }

    [Fact]
    public void An_empty_account_value_is_a_start_up_error_and_the_start_up_log_says_a_sender_is_limited()
    {
        Assert.Contains("WebhookAuth:MetaAppAccounts:0 is empty",
            TestServices.SettingsError(("WebhookAuth:MetaAppSecrets:0", "s"), ("WebhookAuth:MetaAppAccounts:0", "")));
        Assert.Contains("Meta limited to 1 account(s)", TwoSenders().Describe());
    }
}
