using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// What `azd up` asks and passes (issue 18, findings 8, 11 and 13): azd prompts for a main.bicep parameter that has
/// no default unless main.parameters.json gives it a non-empty value (and stops under --no-prompt), so every parameter
/// has a default except the two azd fills itself; every parameter is mapped to an azd environment variable with the
/// same default; azure.yaml keeps to azd's schema.
/// </summary>
public partial class AzdParametersTests
{
    private static ArmTemplate Main => ArmTemplate.Load();

    /// <summary>The parameters azd sets from its own environment (azd env new, azd auth), by the names azd uses.</summary>
    private static readonly Dictionary<string, string> AzdOwn = new()
    {
        ["environmentName"] = "AZURE_ENV_NAME",
        ["location"] = "AZURE_LOCATION",
        ["resourceGroupName"] = "AZURE_RESOURCE_GROUP",
        ["principalId"] = "AZURE_PRINCIPAL_ID",
        ["principalType"] = "AZURE_PRINCIPAL_TYPE",
    };

    [Fact]
    public void Azd_never_prompts_because_every_parameter_but_the_two_azd_sets_has_a_default()
    {
        var withoutDefault = Main.Parameters.Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key).Order();
        Assert.Equal(["environmentName", "location"], withoutDefault);
        var file = ReadApiAuthenticationTests.ParametersFile();
        Assert.Equal("${AZURE_ENV_NAME}", (string?)file["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)file["location"]!["value"]);
    }

    [Fact]
    public void Every_parameter_comes_from_the_azd_environment_with_the_templates_default()
    {
        var file = ReadApiAuthenticationTests.ParametersFile();
        Assert.Equal(Main.Parameters.Select(p => p.Key).Order(), file.Select(p => p.Key).Order());

        foreach (var (name, declared) in Main.Parameters)
        {
            var mapped = Substitution().Match((string)file[name]!["value"]!);
            Assert.True(mapped.Success, $"main.parameters.json maps {name} to '{file[name]!["value"]}', not to ${{VARIABLE}} or ${{VARIABLE=default}}.");
            var variable = mapped.Groups["variable"].Value;
            Assert.Equal(AzdOwn.GetValueOrDefault(name) ?? EnvironmentNameOf(name), variable);

            if (!declared!.AsObject().ContainsKey("defaultValue")) continue;
            Assert.True(mapped.Groups["default"].Success, $"{name} has a default in main.bicep, so its variable {variable} needs one too: ${{{variable}=...}}.");
            var expected = declared["defaultValue"] switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                // azd parses an object parameter's variable as JSON, and leaves the parameter out while the variable is
                // unset (${VARIABLE=}), so the template's {} applies.
                JsonObject { Count: 0 } => "",
                JsonValue v => v.ToJsonString(),
                var other => throw new InvalidOperationException($"{name}: unexpected default {other?.ToJsonString()}"),
            };
            Assert.True(expected == mapped.Groups["default"].Value,
                $"{name}: main.parameters.json defaults {variable} to '{mapped.Groups["default"].Value}', main.bicep to '{expected}'.");
        }
    }

    [Fact]
    public void The_alert_email_and_the_tuning_parameters_reach_azd()
    {
        // The ones an azd deployment could not set before (issue 18, finding 11).
        var file = ReadApiAuthenticationTests.ParametersFile();
        foreach (var (parameter, variable) in new[]
                 {
                     ("alertEmail", "ALERT_EMAIL"), ("historyStallMinutes", "HISTORY_STALL_MINUTES"),
                     ("fanOutLatencyThresholdSeconds", "FAN_OUT_LATENCY_THRESHOLD_SECONDS"), ("backlogAlertThreshold", "BACKLOG_ALERT_THRESHOLD"),
                     ("door5xxPercentThreshold", "DOOR5XX_PERCENT_THRESHOLD"), ("maxDeliveryCount", "MAX_DELIVERY_COUNT"),
                     ("logRetentionDays", "LOG_RETENTION_DAYS"), ("instanceMemoryMB", "INSTANCE_MEMORY_MB"),
                     ("intakeMaxBodyBytes", "INTAKE_MAX_BODY_BYTES"), ("intakeAnswerWithinMilliseconds", "INTAKE_ANSWER_WITHIN_MILLISECONDS"),
                 })
            Assert.StartsWith($"${{{variable}=", (string?)file[parameter]!["value"]);
        // And the alerts module gets them.
        var alerts = Main.ModuleNamed("alerts");
        foreach (var parameter in new[] { "alertEmail", "historyStallMinutes", "fanOutLatencyThresholdSeconds", "backlogAlertThreshold", "door5xxPercentThreshold" })
            Assert.Equal($"[parameters('{parameter}')]", (string?)alerts.Arguments[parameter]!["value"]);
    }

    [Fact]
    public void Docs_deploy_lists_every_parameter_with_its_azd_variable()
    {
        var doc = File.ReadAllText(Repository.PathOf("docs/deploy.md"));
        var file = ReadApiAuthenticationTests.ParametersFile();
        foreach (var (name, mapping) in file)
        {
            var variable = Substitution().Match((string)mapping!["value"]!).Groups["variable"].Value;
            Assert.True(doc.Contains($"| `{variable}` | `{name}` |", StringComparison.Ordinal),
                $"docs/deploy.md should have the row | `{variable}` | `{name}` | in its parameter table.");
        }
    }

    [Fact]
    public void Azure_yaml_keeps_to_azds_schema_and_requires_the_azd_version_that_passes_properties_to_the_build()
    {
        // azd's schema (schemas/v1.0/azure.yaml.json) forbids `env` for host: function (issue 18, finding 13).
        var service = AzureYaml.Section("services");
        Assert.DoesNotMatch(@"(?m)^\s+env:", service);
        Assert.Equal("\">= 1.23.7\"", Regex.Match(AzureYaml.Section("requiredVersions"), @"(?m)^  azd: (.+?)\s*$").Groups[1].Value);

        // The prepackage hook no longer checks the version itself: requiredVersions makes azd refuse first.
        foreach (var hook in new[] { "infra/hooks/use-service-bus.sh", "infra/hooks/use-service-bus.ps1" })
        {
            var text = File.ReadAllText(Repository.PathOf(hook));
            Assert.DoesNotContain("azd version", text);
            Assert.Contains("azd env set QueueTransport ServiceBus", text);
        }
    }

    /// <summary>webhookMetaAppSecret -> WEBHOOK_META_APP_SECRET, instanceMemoryMB -> INSTANCE_MEMORY_MB.</summary>
    internal static string EnvironmentNameOf(string parameter) => WordBoundary().Replace(parameter, "_").ToUpperInvariant();

    [GeneratedRegex(@"^\$\{(?<variable>[A-Z0-9_]+)(=(?<default>[^}]*))?\}$")]
    private static partial Regex Substitution();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();
}
