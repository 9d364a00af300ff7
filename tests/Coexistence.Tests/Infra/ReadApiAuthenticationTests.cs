using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coexistence.Functions;
using Coexistence.Tests.Support;
using Microsoft.Azure.Functions.Worker;

namespace Coexistence.Tests.Infra;

/// <summary>
/// infra/app/api.bicep, compiled: App Service authentication (Entra ID) in front of the read API, the
/// webhook door left to its own checks, and the fail-closed shape when the read API is not set up.
/// </summary>
public class ReadApiAuthenticationTests
{
    private static ArmTemplate Main => ArmTemplate.Load();
    private static ArmTemplate.Module Api => Main.ModuleNamed("api");
    private static JsonObject Auth => InfrastructureTests.SiteConfig("authsettingsV2");
    private static JsonNode AzureActiveDirectory => Auth["properties"]!["identityProviders"]!["azureActiveDirectory"]!;

    private const string Configured =
        "[and(not(empty(parameters('readApiClientId'))), not(empty(parameters('readApiAllowedClientApplications'))))]";

    [Fact]
    public void Authentication_is_always_on_and_answers_401_without_a_token_or_a_token_store()
    {
        Assert.False(Auth.ContainsKey("condition"), "authsettingsV2 must be deployed whatever the parameters.");
        var properties = Auth["properties"]!;
        // Literal booleans, not expressions: no parameter value can switch authentication off.
        Assert.Equal(JsonValueKind.True, properties["platform"]!["enabled"]!.GetValueKind());
        Assert.Equal(JsonValueKind.True, properties["globalValidation"]!["requireAuthentication"]!.GetValueKind());
        Assert.Equal("Return401", (string?)properties["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.Equal(JsonValueKind.True, properties["httpSettings"]!["requireHttps"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, properties["login"]!["tokenStore"]!["enabled"]!.GetValueKind());
        Assert.Equal(["azureActiveDirectory"], properties["identityProviders"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Only_the_webhook_door_is_excluded_and_every_HTTP_function_keeps_its_function_key()
    {
        var excluded = Auth["properties"]!["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => (string)p!).ToArray();
        var routes = HttpRoutes();
        var door = routes.Where(r => r.Function is nameof(ReceiveWebhook) or nameof(VerifyWebhookSubscription)).Select(r => r.Path).Distinct();
        Assert.Equal(door, excluded);
        Assert.Equal(["/api/webhooks"], excluded);

        // No wildcard, and no read route at or below an excluded path.
        Assert.All(excluded, p => Assert.DoesNotContain("*", p));
        var reads = routes.Where(r => r.Function is not (nameof(ReceiveWebhook) or nameof(VerifyWebhookSubscription))).ToList();
        Assert.True(reads.Count >= 6, $"expected the read API's functions, found {reads.Count}");
        foreach (var read in reads)
            Assert.DoesNotContain(excluded, p => read.Path.Equals(p, StringComparison.OrdinalIgnoreCase)
                || read.Path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase));

        // Defence in depth: Entra ID in front, the function keys still checked behind it.
        Assert.All(routes, r => Assert.Equal(AuthorizationLevel.Function, r.Level));
    }

    [Fact]
    public void The_Entra_ID_provider_takes_tokens_for_the_read_API_registration_from_allowed_applications_only()
    {
        var registration = AzureActiveDirectory["registration"]!;
        Assert.Equal("[parameters('readApiClientId')]", (string?)registration["clientId"]);
        Assert.Equal("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, tenant().tenantId)]", (string?)registration["openIdIssuer"]);

        var validation = AzureActiveDirectory["validation"]!;
        Assert.Equal("[if(variables('readApiAuthConfigured'), createArray(format('api://{0}', parameters('readApiClientId')), parameters('readApiClientId')), createArray())]",
            (string?)validation["allowedAudiences"]);
        Assert.Equal("[parameters('readApiAllowedClientApplications')]", (string?)validation["defaultAuthorizationPolicy"]!["allowedApplications"]);

        // main.bicep: the client id as given, the applications split from a comma-separated string.
        Assert.Equal("[parameters('readApiClientId')]", (string?)Api.Arguments["readApiClientId"]!["value"]);
        Assert.Equal("[variables('readApiAllowedClientApplicationIds')]", (string?)Api.Arguments["readApiAllowedClientApplications"]!["value"]);
        Assert.Equal("[filter(map(split(parameters('readApiAllowedClientApplications'), ','), lambda('id', trim(lambdaVariables('id')))), lambda('id', not(empty(lambdaVariables('id')))))]",
            (string?)Main.Variables["readApiAllowedClientApplicationIds"]);
        Assert.Equal("string", (string?)Api.Template["parameters"]!["readApiClientId"]!["type"]);
        Assert.Equal("array", (string?)Api.Template["parameters"]!["readApiAllowedClientApplications"]!["type"]);
    }

    [Fact]
    public void Without_a_client_id_or_allowed_applications_the_provider_is_off_so_every_read_gets_401()
    {
        // Nothing validates a token then, while authentication stays required (test above): 401, never open.
        // An empty allowedApplications alone would let every application of the tenant in.
        Assert.Equal(Configured, Api.StringVariable("readApiAuthConfigured"));
        Assert.Equal("[variables('readApiAuthConfigured')]", (string?)AzureActiveDirectory["enabled"]);
        Assert.EndsWith(", createArray())]", (string)AzureActiveDirectory["validation"]!["allowedAudiences"]!);

        // And that is what a deployment without the parameters gets.
        Assert.Equal("", (string?)Main.DefaultOf("readApiClientId"));
        Assert.Equal("", (string?)Main.DefaultOf("readApiAllowedClientApplications"));
        Assert.Equal("", (string?)Api.ResolveParameter("readApiClientId"));
    }

    [Fact]
    public void The_read_API_parameters_come_from_the_azd_environment_without_a_prompt()
    {
        var parameters = ParametersFile();
        Assert.Equal("${READ_API_CLIENT_ID=}", (string?)parameters["readApiClientId"]!["value"]);
        Assert.Equal("${READ_API_ALLOWED_CLIENT_APPLICATIONS=}", (string?)parameters["readApiAllowedClientApplications"]!["value"]);
        foreach (var name in new[] { "readApiClientId", "readApiAllowedClientApplications" })
        {
            Assert.Equal("string", (string?)Main.Parameters[name]!["type"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)Main.Parameters[name]!["metadata"]?["description"]), $"{name} needs a @description.");
        }
        // Every mapped parameter is one main.bicep declares.
        Assert.All(parameters.Select(p => p.Key), name => Assert.True(Main.Parameters.ContainsKey(name), $"main.parameters.json maps {name}, which main.bicep does not declare."));
    }

    [Fact]
    public void The_infrastructure_never_lets_the_app_accept_unsigned_webhooks()
    {
        Assert.DoesNotContain("AllowUnsigned", Main.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AllowUnsigned", File.ReadAllText(Repository.PathOf("infra/main.parameters.json")), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AllowUnsigned", AzureYaml.Text, StringComparison.OrdinalIgnoreCase);
    }

    internal static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra/main.parameters.json")))!["parameters"]!.AsObject();

    private sealed record HttpRoute(string Function, string Path, AuthorizationLevel Level);

    /// <summary>Every HTTP-triggered function of the app, with its full path (host.json route prefix included).</summary>
    private static List<HttpRoute> HttpRoutes()
    {
        var prefix = (string?)JsonNode.Parse(File.ReadAllText(Repository.PathOf("host.json")))!["extensions"]?["http"]?["routePrefix"] ?? "api";
        var routes = (
            from type in typeof(ReceiveWebhook).Assembly.GetTypes()
            from method in type.GetMethods()
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            from parameter in method.GetParameters()
            let trigger = parameter.GetCustomAttribute<HttpTriggerAttribute>()
            where trigger is not null
            select new HttpRoute(function.Name, $"/{prefix}/{trigger.Route}", trigger.AuthLevel)).ToList();
        Assert.Contains(routes, r => r.Function == nameof(ReceiveWebhook));
        Assert.Contains(routes, r => r.Function == nameof(VerifyWebhookSubscription));
        return routes;
    }
}
