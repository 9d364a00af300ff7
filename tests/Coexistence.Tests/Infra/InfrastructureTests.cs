using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using Coexistence.Functions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// The Bicep deployment (infra/), checked in its compiled form (infra/.build/main.json, written by
/// scripts/check-infra.sh): security flags, roles, queue semantics, and that every setting the code
/// reads is set, by the names the code uses, so renaming one in code fails here.
/// </summary>
public class InfrastructureTests
{
    private static ArmTemplate Main => ArmTemplate.Load();
    private static ArmTemplate.Module Storage => Main.ModuleNamed("storage");
    private static ArmTemplate.Module ServiceBus => Main.ModuleNamed("servicebus");
    private static ArmTemplate.Module Api => Main.ModuleNamed("api");
    private static ArmTemplate.Module Rbac => Main.ModuleNamed("rbac");
    private static ArmTemplate.Module Monitoring => Main.ModuleNamed("monitoring");
    private static ArmTemplate.Module KeyVault => Main.ModuleNamed("keyvault");
    private static ArmTemplate.Module Diagnostics => Main.ModuleNamed("diagnostics");

    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string ServiceBusDataOwner = "090c5cfd-751d-490a-894a-3ce6f1109419";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    /// <summary>The secure parameters, the Key Vault secret each becomes when given, and the app setting that references it.</summary>
    private static readonly (string Parameter, string Secret, string Setting)[] Secrets =
    [
        ("webhookProviderSecret", "webhook-provider-secret", "WebhookAuth__ProviderSecrets__0"),
        ("webhookMetaAppSecret", "webhook-meta-app-secret", "WebhookAuth__MetaAppSecrets__0"),
        ("webhookVerifyToken", "webhook-verify-token", "WebhookAuth__VerifyTokens__0"),
        ("webhookHeaderToken", "webhook-header-token", "WebhookAuth__HeaderTokens__0"),
        ("readApiTokenKey", "read-api-token-key", "ReadApi__TokenKey"),
        ("mediaAccessToken", "media-access-token", "Media__AccessToken"),
        ("mediaApiKey", "media-api-key", "Media__ApiKey"),
    ];

    private static readonly string[] FlexRejectedSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "FUNCTIONS_WORKER_PROCESS_COUNT",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD",
    ];

    // ---- names shared with the code ----

    [Fact]
    public void Service_Bus_queues_are_the_ones_the_code_sends_to_and_triggers_on()
    {
        Assert.Equal(
            [QueueNames.History, QueueNames.ContactSync, QueueNames.MessageEchoes, QueueNames.Messages, QueueNames.AccountUpdates],
            ServiceBus.StringArrayVariable("queueNames"));
        Assert.Equal(StorageNames.Default.Queues, ServiceBus.StringArrayVariable("queueNames"));

        var queues = ServiceBus.Single("Microsoft.ServiceBus/namespaces/queues");
        Assert.Equal("[length(variables('queueNames'))]", (string?)queues["copy"]!["count"]);
        Assert.Contains("variables('queueNames')[copyIndex()]", (string)queues["name"]!);
    }

    [Fact]
    public void Tables_queues_and_containers_are_the_ones_StorageNames_uses()
    {
        Assert.Equal(StorageNames.Default.Tables, Storage.StringArrayVariable("tableNames"));
        var tables = Storage.Single("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Equal("[length(variables('tableNames'))]", (string?)tables["copy"]!["count"]);

        // Storage queues and their poison queues (see storage.bicep for why they exist in Azure).
        Assert.Equal(StorageNames.Default.Queues, Storage.StringArrayVariable("queueNames"));
        var poison = Storage.Template["variables"]!["copy"]!.AsArray().Single(c => (string?)c!["name"] == "poisonQueueNames")!;
        var suffix = Regex.Match((string)poison["input"]!, @"^\[format\('\{0\}([^']*)'").Groups[1].Value;
        Assert.All(StorageNames.Default.Queues, q => Assert.Equal(StorageNames.PoisonQueueOf(q), q + suffix));
        // The change queues' loop; the media queue has its own (MediaArchiveInfraTests).
        var queues = Storage.ResourcesOfType("Microsoft.Storage/storageAccounts/queueServices/queues").ToList();
        Assert.Equal(2, queues.Count);
        Assert.Single(queues, q => ((string)q["name"]!).Contains("concat(variables('queueNames'), variables('poisonQueueNames'))", StringComparison.Ordinal));

        Assert.Equal(StorageNames.Default.RawArchiveContainer, Storage.StringVariable("rawArchiveContainerName"));
        var containers = (string)Storage.Single("Microsoft.Storage/storageAccounts/blobServices/containers")["name"]!;
        Assert.Contains("variables('rawArchiveContainerName')", containers);
        Assert.DoesNotContain("claim", containers);
        Assert.Contains("parameters('deploymentContainerName')", containers);
    }

    [Fact]
    public void Every_setting_the_code_reads_is_set_identity_based()
    {
        var settings = AppSettings();
        var expected = new List<string>
        {
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
            $"{StorageConnection.Name}__tableServiceUri", $"{StorageConnection.Name}__blobServiceUri", $"{StorageConnection.Name}__queueServiceUri",
            $"{StorageConnection.Name}__credential", $"{StorageConnection.Name}__clientId",
            $"{QueueTransport.ConnectionName}__fullyQualifiedNamespace", $"{QueueTransport.ConnectionName}__credential",
            $"{QueueTransport.ConnectionName}__clientId",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        };
        var intakeProperties = typeof(IntakeOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic).Select(p => $"Intake__{p.Name}").ToList();
        Assert.NotEmpty(intakeProperties);
        expected.AddRange(intakeProperties);
        var retentionProperties = typeof(RetentionOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic).Select(p => $"Retention__{p.Name}").ToList();
        Assert.Equal(3, retentionProperties.Count);
        expected.AddRange(retentionProperties);

        Assert.All(expected, name => Assert.True(settings.ContainsKey(name), $"App setting {name} is not set by infra/app/api.bicep."));
        // Nothing else but the optional secret settings (checked below): no stray or stale names.
        Assert.Equal(expected.Order(), settings.Keys.Where(k => !k.StartsWith("WebhookAuth__", StringComparison.Ordinal) && k != "ReadApi__TokenKey"
            && k != "ReadApi__RequireNumberRoles" && !k.StartsWith("Media__", StringComparison.Ordinal)).Order());

        foreach (var prefix in new[] { "AzureWebJobsStorage", StorageConnection.Name, QueueTransport.ConnectionName })
        {
            Assert.Equal("managedidentity", (string?)settings[$"{prefix}__credential"]);
            Assert.Equal("[parameters('identityClientId')]", (string?)settings[$"{prefix}__clientId"]);
        }
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
            (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Contains("outputs.clientId.value", (string)Api.Arguments["identityClientId"]!["value"]!);
        Assert.Contains("'identity'", (string)Api.Arguments["identityClientId"]!["value"]!);
        Assert.Contains("outputs.fullyQualifiedNamespace.value", (string)Api.Arguments["serviceBusFullyQualifiedNamespace"]!["value"]!);
        Assert.Contains("outputs.tableEndpoint.value", (string)Api.Arguments["tableEndpoint"]!["value"]!);
    }

    [Fact]
    public void Sender_accounts_and_the_read_scope_are_settings_of_the_deployment()
    {
        // A manual app setting is gone after the next deployment (the appsettings resource replaces them all), so what the
        // code reads under WebhookAuth:*Accounts and ReadApi:RequireNumberRoles comes from parameters (issue 17).
        var accounts = Api.StringVariable("webhookAccountSettings");
        Assert.Contains("'WebhookAuth__ProviderAccounts__{0}'", accounts);
        Assert.Contains("parameters('webhookProviderAccounts')", accounts);
        Assert.Contains("'WebhookAuth__MetaAppAccounts__{0}'", accounts);
        Assert.Contains("parameters('webhookMetaAppAccounts')", accounts);
        Assert.Contains("ReadApi__RequireNumberRoles", Api.Variables["readApiScopeSettings"]!.ToJsonString());
        Assert.False((bool)Api.ResolveParameter("readApiRequireNumberRoles")!);
        // main.bicep splits the comma-separated azd values into the arrays the module takes.
        Assert.Contains("variables('webhookMetaAppAccountIds')", (string)Api.Arguments["webhookMetaAppAccounts"]!["value"]!);
        Assert.Contains("split(parameters('webhookMetaAppAccounts'), ',')", (string)Main.Variables["webhookMetaAppAccountIds"]!);
    }

    [Fact]
    public void Intake_settings_default_to_what_the_code_would_use_with_Service_Bus()
    {
        var settings = AppSettings();
        Assert.Equal("[string(parameters('intakeMaxBodyBytes'))]", (string?)settings["Intake__MaxBodyBytes"]);
        Assert.Equal("[string(parameters('intakeClaimCheckThresholdBytes'))]", (string?)settings["Intake__ClaimCheckThresholdBytes"]);
        Assert.Equal(new IntakeOptions().MaxBodyBytes, (int)Api.ResolveParameter("intakeMaxBodyBytes")!);
        Assert.Equal(ServiceBusChangeQueue.DefaultClaimCheckThresholdBytes, (int)Api.ResolveParameter("intakeClaimCheckThresholdBytes")!);
        // The deployment refuses what the app would refuse at start-up (issue 18, finding 5).
        Assert.Equal(ServiceBusChangeQueue.MaxClaimCheckThresholdBytes, (int)Main.Root["parameters"]!["intakeClaimCheckThresholdBytes"]!["maxValue"]!);

        // The fan-out bounds and the door's deadline (issue 17): the code's defaults, passed through as settings.
        var defaults = new IntakeOptions();
        foreach (var (setting, parameter, value) in new[]
                 {
                     ("MaxChangesPerBody", "intakeMaxChangesPerBody", defaults.MaxChangesPerBody),
                     ("MaxNumbersPerBody", "intakeMaxNumbersPerBody", defaults.MaxNumbersPerBody),
                     ("MaxConcurrentWrites", "intakeMaxConcurrentWrites", defaults.MaxConcurrentWrites),
                     ("AnswerWithinMilliseconds", "intakeAnswerWithinMilliseconds", defaults.AnswerWithinMilliseconds),
                 })
        {
            Assert.Equal($"[string(parameters('{parameter}'))]", (string?)settings[$"Intake__{setting}"]);
            Assert.Equal(value, (int)Api.ResolveParameter(parameter)!);
        }
    }

    // ---- no keys, no secrets in the clear ----

    [Fact]
    public void No_setting_or_value_anywhere_carries_a_key()
    {
        foreach (var forbidden in new[] { "AccountKey", "SharedAccessKey", "listKeys", "listConnectionStrings", "DefaultEndpointsProtocol", "InstrumentationKey=" })
            Assert.DoesNotContain(forbidden, Main.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AppSettings().Keys, k => k.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) && k != "APPLICATIONINSIGHTS_CONNECTION_STRING");
        Assert.DoesNotContain(AppSettings().Keys, k => k is "AzureWebJobsStorage" or "CoexistenceStorage" or "ServiceBusConnection");
    }

    [Fact]
    public void Settings_Flex_Consumption_rejects_are_absent()
    {
        foreach (var name in FlexRejectedSettings)
            Assert.DoesNotContain(name, Main.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_are_secure_parameters_that_default_to_off_and_go_to_Key_Vault_only_when_given()
    {
        foreach (var (parameter, secret, _) in Secrets)
        {
            // A default (empty: that check is off) so that azd does not prompt for it (issue 18, finding 8).
            Assert.Equal("securestring", (string?)Main.Parameters[parameter]!["type"]);
            Assert.Equal("", (string?)Main.DefaultOf(parameter));
            // Only the Key Vault module receives the value...
            Assert.Equal("securestring", (string?)KeyVault.Template["parameters"]![parameter]!["type"]);
            Assert.Equal($"[parameters('{parameter}')]", (string?)KeyVault.Arguments[parameter]!["value"]);
            Assert.All(Main.Modules.Where(m => m.Name != "keyvault"), m => Assert.False(m.Arguments.ContainsKey(parameter), $"module {m.Name} receives {parameter}"));
            // ...and makes it a secret only when given.
            var resource = KeyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets")
                .Single(r => (string)r["name"]! == $"[format('{{0}}/{{1}}', parameters('name'), '{secret}')]");
            Assert.Equal($"[not(empty(parameters('{parameter}')))]", (string?)resource["condition"]);
            Assert.Equal($"[parameters('{parameter}')]", (string?)resource["properties"]!["value"]);
        }
        // One resource per secure string parameter, and the loop of the per-number media credentials (MediaArchiveInfraTests).
        Assert.Equal(Secrets.Length, KeyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Count(r => r["copy"] is null));
        Assert.Single(KeyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets"), r => r["copy"] is not null);
        Assert.Equal("", (string?)Main.DefaultOf("webhookHeaderName"));
        Assert.Equal("string", (string?)Main.Parameters["webhookHeaderName"]!["type"]);

        // No module but the vault's holds a secure parameter, and no output names one.
        Assert.All(Main.Modules.Where(m => m.Name != "keyvault"), m =>
            Assert.DoesNotContain(m.Template["parameters"]?.AsObject() ?? [], p => (string?)p.Value!["type"] is "securestring" or "secureObject"));
        var outputs = Main.Outputs.ToJsonString() + string.Concat(Main.Modules.Select(m => m.Template["outputs"]?.ToJsonString()));
        foreach (var (parameter, _, _) in Secrets)
            Assert.DoesNotContain($"parameters('{parameter}')", outputs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_app_reads_its_secrets_as_Key_Vault_references_through_its_identity()
    {
        var vault = KeyVault.Single("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.False(vault.AsObject().ContainsKey("accessPolicies"));
        Assert.True((bool)vault["enableSoftDelete"]!);

        // Secret name -> the app setting the code reads (WebhookAuthOptions, ReadApiOptions bind these names).
        var settingOfSecret = KeyVault.Variables["settingOfSecret"]!.AsObject();
        Assert.Equal(Secrets.Select(s => (s.Secret, s.Setting)), settingOfSecret.Select(p => (p.Key, (string)p.Value!)));
        foreach (var (parameter, secret, _) in Secrets)
            Assert.Equal($"[not(empty(parameters('{parameter}')))]", (string?)KeyVault.Variables["given"]![secret]);

        // The module's output: references (not values) to the given secrets, versionless, on this vault.
        var references = (string)KeyVault.Template["outputs"]!["appSettings"]!["value"]!;
        Assert.StartsWith("[union(toObject(filter(items(variables('settingOfSecret')), "
            + "lambda('secret', variables('given')[lambdaVariables('secret').key]))", references);
        Assert.Contains("format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)', reference(resourceId('Microsoft.KeyVault/vaults', parameters('name')), '2023-07-01').vaultUri, lambdaVariables('secret').key)", references);

        // They become the app settings, with the header name (not a secret) and the identity-based ones.
        Assert.Contains("'keyvault'", (string)Api.Arguments["keyVaultReferences"]!["value"]!);
        Assert.EndsWith(".outputs.appSettings.value]", (string)Api.Arguments["keyVaultReferences"]!["value"]!);
        Assert.Equal("[union(variables('identitySettings'), variables('webhookHeaderSettings'), variables('webhookAccountSettings'), "
            + "variables('readApiScopeSettings'), variables('mediaSettings'), parameters('keyVaultReferences'))]",
            (string?)SiteConfig("appsettings")["properties"]);
        Assert.Equal("[if(empty(parameters('webhookHeaderName')), createObject(), createObject('WebhookAuth__HeaderName', parameters('webhookHeaderName')))]",
            Api.StringVariable("webhookHeaderSettings"));
        // Resolved with the user-assigned identity, which rbac.bicep makes Key Vault Secrets User on the vault.
        Assert.Equal("[parameters('identityId')]", (string?)Api.Single("Microsoft.Web/sites")["properties"]!["keyVaultReferenceIdentity"]);
        Assert.Contains("'keyvault'", (string)Rbac.Arguments["keyVaultName"]!["value"]!);
    }

    // ---- security flags ----

    [Fact]
    public void Storage_account_takes_no_keys_no_anonymous_reads_and_TLS_1_2_over_HTTPS_only()
    {
        var account = Storage.Single("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
        Assert.True((bool)account["defaultToOAuthAuthentication"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
    }

    [Fact]
    public void Service_Bus_takes_Entra_ID_only_and_is_Standard_unless_asked_for_Premium()
    {
        var ns = ServiceBus.Single("Microsoft.ServiceBus/namespaces");
        Assert.True((bool)ns["properties"]!["disableLocalAuth"]!);
        Assert.Equal("Standard", (string?)ServiceBus.ResolveParameter("skuName"));
        Assert.Contains("Premium", Main.Parameters["serviceBusSku"]!["allowedValues"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Application_Insights_is_workspace_based_and_takes_Entra_ID_only()
    {
        var insights = Monitoring.Single("Microsoft.Insights/components")["properties"]!;
        Assert.True((bool)insights["DisableLocalAuth"]!);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string)insights["WorkspaceResourceId"]!);
    }

    // ---- queue semantics ----

    [Fact]
    public void Service_Bus_queues_drop_duplicates_for_a_day_dead_letter_after_ten_tries_and_use_no_sessions()
    {
        var properties = ServiceBus.Single("Microsoft.ServiceBus/namespaces/queues")["properties"]!;
        Assert.True((bool)properties["requiresDuplicateDetection"]!);
        Assert.False((bool)properties["requiresSession"]!);
        Assert.True((bool)properties["deadLetteringOnMessageExpiration"]!);
        Assert.Equal("PT5M", (string?)properties["lockDuration"]);
        Assert.True((int)properties["maxSizeInMegabytes"]! >= 1024);

        var window = (string)ServiceBus.Resolve(properties["duplicateDetectionHistoryTimeWindow"])!;
        Assert.Equal("P1D", window);
        var span = XmlConvert.ToTimeSpan(window);
        Assert.InRange(span, TimeSpan.FromSeconds(20), TimeSpan.FromDays(7));

        Assert.Equal(10, (int)ServiceBus.Resolve(properties["maxDeliveryCount"])!);
    }

    [Fact]
    public void Raw_webhooks_are_deleted_after_their_configurable_retention()
    {
        var rules = Storage.Single("Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray();
        int RetentionOf(string container)
        {
            var rule = rules.Single(r => r!["definition"]!["filters"]!["prefixMatch"]!.AsArray()
                .Any(p => Storage.InlineStringVariables((string)p!) == $"[format('{{0}}/', '{container}')]"))!;
            Assert.True((bool)rule["enabled"]!);
            return (int)Storage.Resolve(rule["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"])!;
        }

        Assert.Equal(365, RetentionOf(StorageNames.Default.RawArchiveContainer));
        // The one other rule of the account's one policy: the media archive's (MediaArchiveInfraTests).
        Assert.Equal(["delete-raw-webhooks", "media-tiering"], rules.Select(r => (string?)r!["name"]));
        Assert.Equal("[parameters('rawArchiveRetentionDays')]", (string?)Storage.Arguments["rawArchiveRetentionDays"]!["value"]);
    }

    [Fact]
    public void The_archive_rule_and_the_apps_retention_share_one_parameter_and_the_table_days_and_schedule_are_settings()
    {
        // One parameter: the lifecycle rule (above) and Retention__ArchiveDays, the days of a number without its own.
        Assert.Equal("[parameters('rawArchiveRetentionDays')]", (string?)Api.Arguments["archiveRetentionDays"]!["value"]);
        var settings = AppSettings();
        Assert.Equal("[string(parameters('archiveRetentionDays'))]", (string?)settings["Retention__ArchiveDays"]);
        Assert.Equal("[string(parameters('tableRetentionDays'))]", (string?)settings["Retention__TableDays"]);
        Assert.Equal("[parameters('retentionSchedule')]", (string?)settings["Retention__Schedule"]);
        Assert.Equal("[parameters('tableRetentionDays')]", (string?)Api.Arguments["tableRetentionDays"]!["value"]);
        Assert.Equal("[parameters('retentionSchedule')]", (string?)Api.Arguments["retentionSchedule"]!["value"]);

        // The defaults are the code's: tables kept forever, the archive 365 days, daily at 03:30 UTC.
        var defaults = new RetentionOptions();
        Assert.Equal(defaults.TableDays, (int)Main.Root["parameters"]!["tableRetentionDays"]!["defaultValue"]!);
        Assert.Equal(defaults.ArchiveDays, (int)Main.Root["parameters"]!["rawArchiveRetentionDays"]!["defaultValue"]!);
        Assert.Equal(defaults.Schedule, (string?)Main.Root["parameters"]!["retentionSchedule"]!["defaultValue"]);
        // The deployment refuses what the app would refuse at start-up.
        Assert.Equal(RetentionOptions.MaxDays, (int)Main.Root["parameters"]!["tableRetentionDays"]!["maxValue"]!);
        Assert.Equal(RetentionOptions.MaxDays, (int)Main.Root["parameters"]!["rawArchiveRetentionDays"]!["maxValue"]!);
        Assert.Equal(0, (int)Main.Root["parameters"]!["tableRetentionDays"]!["minValue"]!);
    }

    // ---- roles ----

    [Fact]
    public void The_app_identity_has_exactly_the_data_roles_it_needs_on_each_resource()
    {
        var app = RoleAssignments().Where(a => a.Principal == "[parameters('appPrincipalId')]").ToList();
        Assert.All(app, a => Assert.Equal("ServicePrincipal", a.PrincipalType));
        Assert.All(app, a => Assert.Null(a.Condition));

        string[] On(string scope) => app.Where(a => a.Scope == scope).SelectMany(a => a.Roles).Order().ToArray();
        Assert.Equal(new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(),
            On("[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]"));
        // Data Owner for the scale controller's Manage claim (queue length); Sender and Receiver as before (issue 18, finding 9).
        Assert.Equal(new[] { ServiceBusDataSender, ServiceBusDataReceiver, ServiceBusDataOwner }.Order(),
            On("[resourceId('Microsoft.ServiceBus/namespaces', parameters('serviceBusNamespaceName'))]"));
        Assert.Equal(new[] { MonitoringMetricsPublisher },
            On("[resourceId('Microsoft.Insights/components', parameters('applicationInsightsName'))]"));
        Assert.Equal(new[] { KeyVaultSecretsUser },
            On("[resourceId('Microsoft.KeyVault/vaults', parameters('keyVaultName'))]"));
        Assert.Equal(8, app.Sum(a => a.Roles.Length));

        var principal = (string)Rbac.Arguments["appPrincipalId"]!["value"]!;
        Assert.Contains("'identity'", principal);
        Assert.Contains("outputs.principalId.value", principal);
        // The app starts only once its identity may read its package and reach storage.
        Assert.Contains("'rbac'", DependsOnOf("api"));
    }

    [Fact]
    public void The_deploying_user_gets_data_roles_only_when_a_principal_id_is_given()
    {
        var deployer = RoleAssignments().Where(a => a.Principal == "[parameters('deployerPrincipalId')]").ToList();
        Assert.NotEmpty(deployer);
        Assert.All(deployer, a => Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", a.Condition));
        Assert.Equal(new[] { StorageBlobDataContributor, StorageQueueDataContributor, StorageTableDataContributor, ServiceBusDataSender, ServiceBusDataReceiver, KeyVaultSecretsOfficer }
            .Order(), deployer.SelectMany(a => a.Roles).Order());
        Assert.Equal("[parameters('principalId')]", (string?)Rbac.Arguments["deployerPrincipalId"]!["value"]);
        Assert.Equal(JsonValue.Create(""), Main.DefaultOf("principalId"), JsonNode.DeepEquals);
    }

    // ---- the Function App ----

    [Fact]
    public void Function_app_is_dotnet_isolated_10_on_Flex_Consumption_with_a_user_assigned_identity()
    {
        var plan = Api.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool)plan["properties"]!["reserved"]!);

        var site = Api.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        var properties = site["properties"]!;
        Assert.True((bool)properties["httpsOnly"]!);
        var config = properties["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal(40, (int)Api.Resolve(config["scaleAndConcurrency"]!["maximumInstanceCount"])!);
        // Flex Consumption's documented range, in both the main template and the module (issue 18, finding 12).
        foreach (var declared in new[] { Main.Parameters["maximumInstanceCount"]!, Api.Template["parameters"]!["maximumInstanceCount"]! })
        {
            Assert.Equal(40, (int)declared["minValue"]!);
            Assert.Equal(1000, (int)declared["maxValue"]!);
        }
        Assert.Equal(2048, (int)Api.Resolve(config["scaleAndConcurrency"]!["instanceMemoryMB"])!);

        var package = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)package["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)package["authentication"]!["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)package["authentication"]!["userAssignedIdentityResourceId"]);

        foreach (var policy in Api.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"))
            Assert.False((bool)policy["properties"]!["allow"]!);
    }

    [Fact]
    public void Every_resource_is_tagged_with_the_azd_environment_and_the_app_with_its_service_name()
    {
        Assert.Equal("[parameters('environmentName')]", (string?)Main.Variables["tags"]!["azd-env-name"]);
        var resourceGroup = Main.Resources.Single(r => (string?)r["type"] == "Microsoft.Resources/resourceGroups");
        Assert.Equal("[variables('tags')]", (string?)resourceGroup["tags"]);

        var located = Main.Modules.SelectMany(m => m.Resources.Where(r => r.ContainsKey("location")).Select(r => (Module: m, Resource: r))).ToList();
        Assert.True(located.Count >= 7);
        foreach (var (module, resource) in located)
        {
            Assert.Equal("[variables('tags')]", (string?)module.Arguments["tags"]!["value"]);
            Assert.StartsWith("[", (string)resource["tags"]!);
            Assert.Contains("parameters('tags')", (string)resource["tags"]!);
        }
        Assert.Equal("[union(parameters('tags'), createObject('azd-service-name', 'api'))]", (string?)Api.Single("Microsoft.Web/sites")["tags"]);
    }

    [Fact]
    public void Outputs_give_azd_and_the_operator_what_they_need_and_the_webhook_url_without_a_key()
    {
        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_NAME", "SERVICE_API_NAME",
                     "AZURE_STORAGE_ACCOUNT_NAME", "AZURE_SERVICEBUS_NAMESPACE", "AZURE_KEY_VAULT_NAME", "WEBHOOK_URL" })
            Assert.True(Main.Outputs.ContainsKey(name), $"main.bicep should output {name}.");
        var url = (string)Main.Outputs["WEBHOOK_URL"]!["value"]!;
        Assert.StartsWith("[format('https://{0}/api/webhooks'", url);
        Assert.DoesNotContain("code=", url);
        Assert.DoesNotContain("listKeys", url);
        Assert.Equal("ServiceBus", (string?)Main.Outputs["QueueTransport"]!["value"]);
    }

    // ---- azd builds the Service Bus flavour ----

    [Fact]
    public void Azd_deploys_the_function_project_and_passes_QueueTransport_ServiceBus_to_its_build()
    {
        var yaml = AzureYaml.Section("services");
        Assert.Matches(@"(?m)^  api:\s*$", yaml);
        Assert.Matches(@"(?m)^    project: \./functions/Coexistence\.Functions\s*$", yaml);
        Assert.Matches(@"(?m)^    host: function\s*$", yaml);
        Assert.Matches(@"(?m)^    language: dotnet\s*$", yaml);
        Assert.True(Directory.Exists(Repository.PathOf("functions/Coexistence.Functions")));
        // A service's hooks run from its project folder, project-level hooks from the repository root.
        var serviceHooks = AzureYaml.RunPaths(yaml);
        Assert.NotEmpty(serviceHooks);
        foreach (var hook in serviceHooks)
            Assert.True(File.Exists(Path.Combine(Repository.PathOf("functions/Coexistence.Functions"), hook)), $"azure.yaml service hook {hook} does not exist.");
        foreach (var hook in AzureYaml.RunPaths(AzureYaml.Section("hooks")))
            Assert.True(File.Exists(Repository.PathOf(hook)), $"azure.yaml project hook {hook} does not exist.");

        // azd hands its environment to `dotnet publish`; MSBuild must take QueueTransport from it.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "msbuild", Repository.PathOf("functions/Coexistence.Functions/Coexistence.Functions.csproj"), "-getProperty:QueueTransport", "-nologo" })
            start.ArgumentList.Add(arg);
        start.Environment["QueueTransport"] = "ServiceBus";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "dotnet msbuild did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed: {output}{errors}");
        Assert.Equal("ServiceBus", output.Trim());
    }

    // ---- helpers ----

    /// <summary>Every app setting the deployment can create: the identity-based ones, the header name and the Key Vault references.</summary>
    private static Dictionary<string, JsonNode?> AppSettings() =>
        Api.Variables["identitySettings"]!.AsObject().ToDictionary(p => p.Key, p => p.Value)
            .Concat(Regex.Matches(Api.StringVariable("webhookHeaderSettings"), @"createObject\('([^']+)'").Select(m => KeyValuePair.Create(m.Groups[1].Value, (JsonNode?)null)))
            .Concat(KeyVault.Variables["settingOfSecret"]!.AsObject().Select(p => KeyValuePair.Create((string)p.Value!, (JsonNode?)null)))
            .ToDictionary(p => p.Key, p => p.Value);

    /// <summary>The api module's <c>Microsoft.Web/sites/config</c> resource named <paramref name="name"/>.</summary>
    internal static JsonObject SiteConfig(string name)
    {
        var found = Api.ResourcesOfType("Microsoft.Web/sites/config")
            .Where(r => (string?)r["name"] == $"[format('{{0}}/{{1}}', parameters('name'), '{name}')]").ToList();
        Assert.True(found.Count == 1, $"infra/app/api.bicep should declare the site config '{name}' once, found {found.Count}.");
        return found[0];
    }

    private static string DependsOnOf(string module) =>
        string.Join(" ", Main.Resources.Single(r => (string?)r["name"] == module)["dependsOn"]?.AsArray().Select(d => (string?)d) ?? []);

    private sealed record Assignment(string Scope, string Principal, string? PrincipalType, string? Condition, string[] Roles);

    /// <summary>The rbac module's role assignments, with the role ids of each (a copy loop assigns several).</summary>
    private static IEnumerable<Assignment> RoleAssignments() =>
        Rbac.ResourcesOfType("Microsoft.Authorization/roleAssignments").Select(r =>
        {
            var roleDefinition = (string)r["properties"]!["roleDefinitionId"]!;
            Assert.StartsWith("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ", roleDefinition);
            var variable = Regex.Match(roleDefinition, @"variables\('([^']+)'\)(\[copyIndex\(\)\])?");
            Assert.True(variable.Success, $"Unexpected role definition expression {roleDefinition}");
            var roles = variable.Groups[2].Success
                ? Rbac.StringArrayVariable(variable.Groups[1].Value)
                : [Rbac.StringVariable(variable.Groups[1].Value)];
            if (variable.Groups[2].Success)
                Assert.Equal($"[length(variables('{variable.Groups[1].Value}'))]", (string?)r["copy"]!["count"]);
            return new Assignment((string)r["scope"]!, (string)r["properties"]!["principalId"]!, (string?)r["properties"]!["principalType"],
                (string?)r["condition"], roles);
        });
}
