using System.Text.Json.Nodes;

namespace Coexistence.Tests.Infra;

/// <summary>
/// infra/app/diagnostics.bicep, compiled (issue 18, finding 14): resource logs of Service Bus, the storage services,
/// the Function App and the vault go to the Log Analytics workspace, with the categories Microsoft Learn lists for
/// each resource type ("Supported log categories").
/// </summary>
public class DiagnosticSettingsTests
{
    private static ArmTemplate Main => ArmTemplate.Load();
    private static ArmTemplate.Module Diagnostics => Main.ModuleNamed("diagnostics");

    private static readonly string[] StorageCategories = ["StorageRead", "StorageWrite", "StorageDelete"];

    /// <summary>The module's diagnostic settings by the resource they are on (the scope expression).</summary>
    private static Dictionary<string, JsonObject> SettingsByScope() =>
        Diagnostics.ResourcesOfType("Microsoft.Insights/diagnosticSettings").ToDictionary(r => (string)r["scope"]!, r => r);

    /// <summary>The log categories of one setting: a literal list, or a property loop over a string-array variable.</summary>
    private static string[] CategoriesOf(JsonObject setting)
    {
        var properties = setting["properties"]!.AsObject();
        if (properties["logs"] is JsonArray logs)
        {
            Assert.All(logs, l => Assert.True((bool)l!["enabled"]!));
            return logs.Select(l => (string)l!["category"]!).ToArray();
        }
        var loop = properties["copy"]!.AsArray().Single(c => (string?)c!["name"] == "logs")!;
        Assert.True((bool)loop["input"]!["enabled"]!);
        var variable = System.Text.RegularExpressions.Regex.Match((string)loop["input"]!["category"]!, @"variables\('([^']+)'\)").Groups[1].Value;
        return Diagnostics.Variables[variable] is JsonArray ? Diagnostics.StringArrayVariable(variable) : [Diagnostics.StringVariable(variable)];
    }

    [Fact]
    public void Storage_blob_queue_and_table_logs_go_to_the_workspace()
    {
        var settings = SettingsByScope();
        foreach (var service in new[] { "blobServices", "queueServices", "tableServices" })
        {
            var scope = $"[resourceId('Microsoft.Storage/storageAccounts/{service}', parameters('storageAccountName'), 'default')]";
            Assert.True(settings.ContainsKey(scope), $"no diagnostic setting on the storage account's {service}");
            Assert.Equal(StorageCategories, CategoriesOf(settings[scope]));
            Assert.Equal("[parameters('workspaceId')]", (string?)settings[scope]["properties"]!["workspaceId"]);
        }
    }

    [Fact]
    public void Service_Bus_logs_go_to_the_workspace_with_the_data_plane_audit_on_Premium()
    {
        var setting = SettingsByScope()["[resourceId('Microsoft.ServiceBus/namespaces', parameters('serviceBusNamespaceName'))]"];
        Assert.Equal("[parameters('workspaceId')]", (string?)setting["properties"]!["workspaceId"]);
        // RuntimeAuditLogs exists on Premium only; OperationalLogs and VNetAndIPFilteringLogs on every tier.
        Assert.Equal("[concat(createArray('OperationalLogs', 'VNetAndIPFilteringLogs'), if(equals(parameters('serviceBusSku'), 'Premium'), createArray('RuntimeAuditLogs'), createArray()))]",
            Diagnostics.StringVariable("serviceBusCategories"));
        Assert.Equal("[parameters('serviceBusSku')]", (string?)Diagnostics.Arguments["serviceBusSku"]!["value"]);
    }

    [Fact]
    public void Function_app_logs_and_the_vaults_audit_go_to_the_workspace()
    {
        var settings = SettingsByScope();
        Assert.Equal(["FunctionAppLogs"], CategoriesOf(settings["[resourceId('Microsoft.Web/sites', parameters('functionAppName'))]"]));
        Assert.Equal(["AuditEvent"], CategoriesOf(settings["[resourceId('Microsoft.KeyVault/vaults', parameters('keyVaultName'))]"]));
        Assert.Equal(6, settings.Count);
    }

    [Fact]
    public void The_settings_target_the_deployments_workspace_and_its_resources()
    {
        Assert.Contains("'monitoring'", (string)Diagnostics.Arguments["workspaceId"]!["value"]!);
        Assert.Contains("outputs.logAnalyticsId.value", (string)Diagnostics.Arguments["workspaceId"]!["value"]!);
        Assert.Contains("'api'", (string)Diagnostics.Arguments["functionAppName"]!["value"]!);
        Assert.Contains("'storage'", (string)Diagnostics.Arguments["storageAccountName"]!["value"]!);
        Assert.Contains("'servicebus'", (string)Diagnostics.Arguments["serviceBusNamespaceName"]!["value"]!);
        Assert.Contains("'keyvault'", (string)Diagnostics.Arguments["keyVaultName"]!["value"]!);
        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
            (string?)Main.ModuleNamed("monitoring").Template["outputs"]!["logAnalyticsId"]!["value"]);
    }
}
