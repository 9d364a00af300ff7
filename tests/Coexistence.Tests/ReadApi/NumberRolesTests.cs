using System.Text;
using System.Text.Json;
using Coexistence.Functions;
using Coexistence.Tests.Functions;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.ReadApi;

/// <summary>
/// The read API's optional per-number scope (issue 17, "a credential of its own for reading"): with
/// <c>ReadApi:RequireNumberRoles</c>, a caller reads a number only with the app role <c>Numbers.Read.All</c> or
/// <c>Numbers.Read.{phone_number_id}</c>, from the principal App Service authentication passes on.
/// </summary>
public class NumberRolesTests
{
    private const string Other = "106540352242999";

    /// <summary>An <c>X-MS-CLIENT-PRINCIPAL</c> value as App Service authentication writes it for an app (client credentials) token.</summary>
    internal static string Principal(params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        claims = roles.Select(r => new { typ = "roles", val = r }).Append(new { typ = "appid", val = "00000000-0000-0000-0000-000000000001" }),
        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    })));

    private static async Task<(int Status, string? Code)> ChatsAsync(ReadApiHarness h, string pnid, string? principal)
    {
        var headers = principal is null ? [] : new[] { (Coexistence.Queries.ReadApi.CallerPrincipalHeader, principal) };
        var response = (FakeHttpResponse)await new ListChats(h.Api).Run(
            new FakeHttpRequest([], "GET", $"http://localhost/api/numbers/{pnid}/chats", headers), pnid, default);
        var code = (int)response.StatusCode >= 400 ? JsonDocument.Parse(response.BodyText).RootElement.GetProperty("code").GetString() : null;
        return ((int)response.StatusCode, code);
    }

    [Fact]
    public async Task With_number_roles_required_a_caller_reads_only_the_numbers_its_roles_name()
    {
        var h = await ReadApiHarness.CreateAsync(new ReadApiOptions { RequireNumberRoles = true });
        await h.WriteAsync(PhoneNumberId, [ReadApiHarness.Message("wamid.r/1", "15550002222", 1_700_000_000)]);

        Assert.Equal((200, null), await ChatsAsync(h, PhoneNumberId, Principal("Numbers.Read.All")));
        Assert.Equal((200, null), await ChatsAsync(h, PhoneNumberId, Principal($"Numbers.Read.{PhoneNumberId}")));
        Assert.Equal((403, "number-not-allowed"), await ChatsAsync(h, Other, Principal($"Numbers.Read.{PhoneNumberId}")));
        Assert.Equal((403, "number-not-allowed"), await ChatsAsync(h, PhoneNumberId, Principal("Numbers.Write.All", "Numbers.Read." + PhoneNumberId[..5])));
        Assert.Equal((403, "caller-unidentified"), await ChatsAsync(h, PhoneNumberId, null));
        Assert.Equal((403, "caller-unidentified"), await ChatsAsync(h, PhoneNumberId, "not base64 at all"));
        Assert.Equal((403, "caller-unidentified"), await ChatsAsync(h, PhoneNumberId, Convert.ToBase64String("[1,2]"u8.ToArray())));
    }

    [Fact]
    public async Task Without_the_setting_the_principal_is_not_looked_at()
    {
        var h = await ReadApiHarness.CreateAsync();
        Assert.Equal((200, null), await ChatsAsync(h, PhoneNumberId, null));
        Assert.Equal((200, null), await ChatsAsync(h, Other, Principal($"Numbers.Read.{PhoneNumberId}")));
    }

    [Fact]
    public void Every_read_function_asks_about_the_caller_before_reading()
    {
        // Each read function goes through ReadApiHttp.AnswerAsync (which asks RefuseCaller first): a source check, since
        // the functions are one expression each and a new one that calls WriteAsync directly would skip the scope.
        var readFunctions = Directory.GetFiles(Repository.PathOf("functions/Coexistence.Functions"), "*.cs")
            .Where(f => File.ReadAllText(f).Contains("ReadApiHttp.RoutePrefix", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, readFunctions.Count);
        Assert.All(readFunctions, f => Assert.Contains("ReadApiHttp.AnswerAsync(request, api, phoneNumberId,", File.ReadAllText(f)));
    }
}
