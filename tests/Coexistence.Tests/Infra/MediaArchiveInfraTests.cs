using System.Text.Json.Nodes;
using Coexistence.Functions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// The media archive's infrastructure (issue 20, docs/media.md), compiled: the private container <c>media</c>, the Storage queue
/// <c>coexistence-media</c> and its poison queue in both builds, the lifecycle rule of the container, the roles, the Media settings
/// (plain when not secret, Key Vault references when secret, per number too) and what main.bicep hands to which module.
/// The alerts are in <see cref="AlertsTests"/>.
/// </summary>
public class MediaArchiveInfraTests
{
    private const string MediaQueue = "coexistence-media";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";

    private static ArmTemplate Main => ArmTemplate.Load();
    private static ArmTemplate.Module Storage => Main.ModuleNamed("storage");
    private static ArmTemplate.Module ServiceBus => Main.ModuleNamed("servicebus");
    private static ArmTemplate.Module Api => Main.ModuleNamed("api");
    private static ArmTemplate.Module Rbac => Main.ModuleNamed("rbac");
    private static ArmTemplate.Module KeyVault => Main.ModuleNamed("keyvault");

    [Fact]
    public void The_media_container_is_private()
    {
        Assert.Equal("media", Storage.StringVariable("mediaContainerName"));
        var containers = Storage.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("[length(createArray(variables('rawArchiveContainerName'), variables('mediaContainerName'), parameters('deploymentContainerName')))]",
            (string?)containers["copy"]!["count"]);
        Assert.Null(containers["condition"]);
        Assert.Equal("None", (string?)containers["properties"]!["publicAccess"]);
        Assert.False((bool)Storage.Single("Microsoft.Storage/storageAccounts")["properties"]!["allowBlobPublicAccess"]!);
    }

    [Fact]
    public void The_media_queue_and_its_poison_queue_are_Storage_queues_in_both_builds()
    {
        Assert.Equal(MediaQueue, Storage.StringVariable("mediaQueueName"));
        Assert.Equal("[format('{0}-poison', variables('mediaQueueName'))]", Storage.StringVariable("mediaPoisonQueueName"));
        Assert.Equal("coexistence-media-poison", StorageNames.PoisonQueueOf(MediaQueue));

        // Declared whatever the build: no condition, its own loop beside the change queues'.
        var queues = Storage.ResourcesOfType("Microsoft.Storage/storageAccounts/queueServices/queues")
            .Single(q => ((string)q["name"]!).Contains("variables('mediaQueueName')", StringComparison.Ordinal));
        Assert.Equal("[length(createArray(variables('mediaQueueName'), variables('mediaPoisonQueueName')))]", (string?)queues["copy"]!["count"]);
        Assert.Contains("createArray(variables('mediaQueueName'), variables('mediaPoisonQueueName'))[copyIndex()]", (string)queues["name"]!);
        Assert.Null(queues["condition"]);

        // Not a change queue: neither in queue-names.json (the Storage-queue build's change queues) nor a Service Bus queue.
        Assert.DoesNotContain(MediaQueue, Storage.StringArrayVariable("queueNames"));
        Assert.DoesNotContain(MediaQueue, ServiceBus.StringArrayVariable("queueNames"));
        Assert.DoesNotContain(MediaQueue, File.ReadAllText(Repository.PathOf("infra/app/queue-names.json")));
        Assert.DoesNotContain("media", ServiceBus.Template.ToJsonString(), StringComparison.OrdinalIgnoreCase);

        // The Service Bus build reaches it through the same identity-based Storage connection as everything else.
        var settings = Api.Variables["identitySettings"]!.AsObject();
        Assert.Equal("[parameters('queueEndpoint')]", (string?)settings[$"{StorageConnection.Name}__queueServiceUri"]);
        Assert.Equal("managedidentity", (string?)settings[$"{StorageConnection.Name}__credential"]);
        Assert.True(settings.ContainsKey($"{QueueTransport.ConnectionName}__fullyQualifiedNamespace"));
    }

    [Fact]
    public void Media_move_to_Cool_after_30_days_and_are_deleted_only_when_a_number_of_days_is_given()
    {
        // The account's one policy ('default') carries the media rule beside the raw-webhooks one.
        var policy = Storage.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        Assert.Equal("[format('{0}/{1}', parameters('name'), 'default')]", (string?)policy["name"]);
        var rule = policy["properties"]!["policy"]!["rules"]!.AsArray().Single(r => (string?)r!["name"] == "media-tiering")!;
        Assert.True((bool)rule["enabled"]!);
        Assert.Equal("Lifecycle", (string?)rule["type"]);
        var filters = rule["definition"]!["filters"]!;
        Assert.Equal(["blockBlob"], filters["blobTypes"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("[format('{0}/', 'media')]", Storage.InlineStringVariables((string)filters["prefixMatch"]!.AsArray().Single()!));
        Assert.Equal("[variables('mediaActions')]", (string?)rule["definition"]!["actions"]!["baseBlob"]);

        // Cool after mediaCoolAfterDays; delete only when mediaDeleteAfterDays > 0; Cool left out when the deletion comes first.
        Assert.Equal("[union(if(variables('mediaCool'), "
            + "createObject('tierToCool', createObject('daysAfterCreationGreaterThan', parameters('mediaCoolAfterDays'))), "
            + "createObject()), if(greater(parameters('mediaDeleteAfterDays'), 0), createObject('delete', createObject('daysAfterCreationGreaterThan', "
            + "parameters('mediaDeleteAfterDays'))), createObject()))]", Storage.StringVariable("mediaActions"));
        Assert.Equal("[or(equals(parameters('mediaDeleteAfterDays'), 0), greater(parameters('mediaDeleteAfterDays'), parameters('mediaCoolAfterDays')))]",
            Storage.StringVariable("mediaCool"));

        // The defaults: Cool after 30 days, kept forever; the parameters are main.bicep's.
        Assert.Equal(30, (int)Storage.ResolveParameter("mediaCoolAfterDays")!);
        Assert.Equal(0, (int)Storage.ResolveParameter("mediaDeleteAfterDays")!);
        Assert.Equal((1, 0), ((int)Main.Parameters["mediaCoolAfterDays"]!["minValue"]!, (int)Main.Parameters["mediaDeleteAfterDays"]!["minValue"]!));
        Assert.Equal("[parameters('mediaDeleteAfterDays')]", (string?)Storage.Arguments["mediaDeleteAfterDays"]!["value"]);
    }

    [Fact]
    public void The_app_identity_may_sign_user_delegation_links_and_use_the_media_queue_in_both_builds()
    {
        // Blob Data Owner holds every action of Blob Data Contributor, generateUserDelegationKey included; Queue Data Contributor
        // reads, deletes and sends the media jobs. Unconditional: the Service Bus build has them as much as the Storage-queue one.
        var storageRoles = Rbac.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Single(r => (string?)r["properties"]!["principalId"] == "[parameters('appPrincipalId')]"
                && (string?)r["scope"] == "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]");
        Assert.Null(storageRoles["condition"]);
        Assert.Equal("[length(variables('appStorageRoles'))]", (string?)storageRoles["copy"]!["count"]);
        var roles = Rbac.StringArrayVariable("appStorageRoles");
        Assert.Contains(StorageBlobDataOwner, roles);
        Assert.Contains(StorageQueueDataContributor, roles);
    }

    [Fact]
    public void Provider_and_base_url_are_plain_settings_only_when_given()
    {
        var provider = Main.Parameters["mediaProvider"]!;
        Assert.Equal("string", (string?)provider["type"]);
        Assert.Equal("", (string?)provider["defaultValue"]);
        Assert.Equal(["", "meta", "360dialog"], provider["allowedValues"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(("string", ""), ((string?)Main.Parameters["mediaBaseUrl"]!["type"], (string?)Main.DefaultOf("mediaBaseUrl")));

        Assert.Equal("[parameters('mediaProvider')]", (string?)Api.Arguments["mediaProvider"]!["value"]);
        Assert.Equal("[parameters('mediaBaseUrl')]", (string?)Api.Arguments["mediaBaseUrl"]!["value"]);
        Assert.Equal("[union(if(empty(parameters('mediaProvider')), createObject(), createObject('Media__Provider', parameters('mediaProvider'))), "
            + "if(empty(parameters('mediaBaseUrl')), createObject(), createObject('Media__BaseUrl', parameters('mediaBaseUrl'))), "
            + "variables('mediaNumberSettings'))]",
            Api.StringVariable("mediaSettings"));
        // None of the limits: the code's defaults apply.
        Assert.DoesNotContain("Media__IdLifetimeDays", Main.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Media__MaxBytes", Main.Text, StringComparison.Ordinal);
        Assert.Contains("variables('mediaSettings')", (string)InfrastructureTests.SiteConfig("appsettings")["properties"]!);
    }

    [Fact]
    public void A_numbers_provider_and_base_url_are_plain_settings_and_nothing_else_of_it_reaches_the_app_module()
    {
        // main.bicep hands the api module only provider and base URL of each number, never the credentials object.
        var endpoints = (string)Main.Variables["mediaNumberEndpoints"]!;
        Assert.Equal("[toObject(items(parameters('mediaNumberCredentials')), lambda('number', lambdaVariables('number').key), lambda('number', "
            + "createObject('provider', coalesce(tryGet(lambdaVariables('number').value, 'provider'), ''), 'baseUrl', "
            + "coalesce(tryGet(lambdaVariables('number').value, 'baseUrl'), ''))))]", endpoints);
        Assert.Equal("[variables('mediaNumberEndpoints')]", (string?)Api.Arguments["mediaNumbers"]!["value"]);
        Assert.Equal("object", (string?)Api.Template["parameters"]!["mediaNumbers"]!["type"]);

        var settings = Api.StringVariable("mediaNumberSettings");
        Assert.Contains("format('Media__Numbers__{0}__Provider', lambdaVariables('number').key)", settings);
        Assert.Contains("format('Media__Numbers__{0}__BaseUrl', lambdaVariables('number').key)", settings);
        Assert.Contains("lambda('setting', not(empty(lambdaVariables('setting').value)))", settings);
        Assert.DoesNotContain("AccessToken", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("ApiKey", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numbers_token_and_key_become_Key_Vault_secrets_and_references_only()
    {
        var declared = Main.Parameters["mediaNumberCredentials"]!;
        Assert.Equal("secureObject", (string?)declared["type"]);
        Assert.Empty(declared["defaultValue"]!.AsObject());
        Assert.Equal("secureObject", (string?)KeyVault.Template["parameters"]!["mediaNumberCredentials"]!["type"]);
        Assert.Equal("[parameters('mediaNumberCredentials')]", (string?)KeyVault.Arguments["mediaNumberCredentials"]!["value"]);
        Assert.All(Main.Modules.Where(m => m.Name != "keyvault"),
            m => Assert.DoesNotContain("parameters('mediaNumberCredentials')", m.Arguments.ToJsonString()));

        // One entry per token or key given: the secret media-number-<id>-access-token / -api-key, the setting that references it.
        var secrets = KeyVault.StringVariable("mediaNumberSecrets");
        Assert.StartsWith("[flatten(map(items(parameters('mediaNumberCredentials')), lambda('number', filter(createArray(", secrets);
        Assert.Contains("createObject('secret', format('media-number-{0}-access-token', lambdaVariables('number').key), "
            + "'setting', format('Media__Numbers__{0}__AccessToken', lambdaVariables('number').key), "
            + "'value', coalesce(tryGet(lambdaVariables('number').value, 'accessToken'), ''))", secrets);
        Assert.Contains("createObject('secret', format('media-number-{0}-api-key', lambdaVariables('number').key), "
            + "'setting', format('Media__Numbers__{0}__ApiKey', lambdaVariables('number').key), "
            + "'value', coalesce(tryGet(lambdaVariables('number').value, 'apiKey'), ''))", secrets);
        Assert.EndsWith("lambda('credential', not(empty(lambdaVariables('credential').value)))))))]", secrets);

        var loop = KeyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Single(r => r["copy"] is not null);
        Assert.Equal("[length(variables('mediaNumberSecrets'))]", (string?)loop["copy"]!["count"]);
        Assert.Equal("[format('{0}/{1}', parameters('name'), variables('mediaNumberSecrets')[copyIndex()].secret)]", (string?)loop["name"]);
        Assert.Equal("[variables('mediaNumberSecrets')[copyIndex()].value]", (string?)loop["properties"]!["value"]);

        // The module's output names secrets, never values: versionless references on this vault, by setting.
        var references = (string)KeyVault.Template["outputs"]!["appSettings"]!["value"]!;
        Assert.Contains("toObject(variables('mediaNumberSecrets'), lambda('credential', lambdaVariables('credential').setting), lambda('credential', "
            + "format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)', "
            + "reference(resourceId('Microsoft.KeyVault/vaults', parameters('name')), '2023-07-01').vaultUri, "
            + "lambdaVariables('credential').secret)))", references);
        Assert.DoesNotContain("lambdaVariables('credential').value", references, StringComparison.Ordinal);
        Assert.DoesNotContain("mediaNumberCredentials", Main.Outputs.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("mediaNumberCredentials", references, StringComparison.Ordinal);
    }

    [Fact]
    public void The_account_wide_token_and_key_are_Key_Vault_secrets_of_names_the_vault_accepts()
    {
        var settingOfSecret = KeyVault.Variables["settingOfSecret"]!.AsObject();
        Assert.Equal("Media__AccessToken", (string?)settingOfSecret["media-access-token"]);
        Assert.Equal("Media__ApiKey", (string?)settingOfSecret["media-api-key"]);
        // Key Vault secret names: 1-127 alphanumerics and dashes; the per-number ones add a phone_number_id (digits).
        foreach (var name in settingOfSecret.Select(p => p.Key).Concat(["media-number-123456789012345-access-token", "media-number-123456789012345-api-key"]))
            Assert.Matches("^[0-9A-Za-z-]{1,127}$", name);
        // Never a plain app setting: the api module has no such parameter and sets neither name itself.
        Assert.DoesNotContain(Api.Template["parameters"]!.AsObject(), p => p.Key is "mediaAccessToken" or "mediaApiKey");
        Assert.DoesNotContain("Media__AccessToken", Api.Template.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Media__ApiKey", Api.Template.ToJsonString(), StringComparison.Ordinal);
    }

    // ---- evaluated (ArmExpressions): what ARM makes of the expressions above for given parameter values ----

    [Theory]
    [InlineData(30, 0, """{"tierToCool":{"daysAfterCreationGreaterThan":30}}""")]
    [InlineData(30, 365, """{"delete":{"daysAfterCreationGreaterThan":365},"tierToCool":{"daysAfterCreationGreaterThan":30}}""")]
    [InlineData(30, 30, """{"delete":{"daysAfterCreationGreaterThan":30}}""")]
    [InlineData(90, 10, """{"delete":{"daysAfterCreationGreaterThan":10}}""")]
    public void The_media_rule_cools_then_deletes_only_when_asked_and_drops_a_Cool_step_the_deletion_beats(int cool, int delete, string actions)
    {
        var storage = new ArmExpressions(Storage.Template, new Dictionary<string, JsonNode?>
        {
            ["mediaCoolAfterDays"] = JsonNode.Parse(cool.ToString()),
            ["mediaDeleteAfterDays"] = JsonNode.Parse(delete.ToString()),
        });
        Assert.Equal(actions, ArmExpressions.Show(storage.Variable("mediaActions")));
    }

    [Fact]
    public void Without_media_parameters_no_media_setting_and_no_media_secret_is_created()
    {
        var vault = new ArmExpressions(KeyVault.Template, new Dictionary<string, JsonNode?> { ["name"] = "kv-test" });
        Assert.Equal("[]", ArmExpressions.Show(vault.Variable("mediaNumberSecrets")));
        Assert.Equal("{}", ArmExpressions.Show(vault.Output("appSettings")));
        var api = new ArmExpressions(Api.Template, new Dictionary<string, JsonNode?>
        {
            ["mediaProvider"] = "", ["mediaBaseUrl"] = "", ["mediaNumbers"] = new JsonObject(),
        });
        Assert.Equal("{}", ArmExpressions.Show(api.Variable("mediaSettings")));
    }

    [Fact]
    public void The_account_wide_token_and_key_become_references_to_their_secrets()
    {
        var vault = new ArmExpressions(KeyVault.Template, new Dictionary<string, JsonNode?>
        {
            ["name"] = "kv-test", ["mediaAccessToken"] = "token-all", ["mediaApiKey"] = "key-all",
        });
        var settings = ArmExpressions.Show(vault.Output("appSettings"));
        Assert.Equal(Json(("Media__AccessToken", Reference("media-access-token")), ("Media__ApiKey", Reference("media-api-key"))), settings);
        Assert.DoesNotContain("token-all", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("key-all", settings, StringComparison.Ordinal);

        var api = new ArmExpressions(Api.Template, new Dictionary<string, JsonNode?>
        {
            ["mediaProvider"] = "meta", ["mediaBaseUrl"] = "https://graph.example/v21.0", ["mediaNumbers"] = new JsonObject(),
        });
        Assert.Equal(Json(("Media__BaseUrl", "https://graph.example/v21.0"), ("Media__Provider", "meta")), ArmExpressions.Show(api.Variable("mediaSettings")));
    }

    [Fact]
    public void Per_number_credentials_become_secrets_with_their_values_and_the_app_settings_only_reference_them()
    {
        const string credentials = """
            {
              "111": { "accessToken": "token-111" },
              "222": { "provider": "360dialog", "baseUrl": "https://waba.example/", "apiKey": "key-222" },
              "333": { "provider": "meta" }
            }
            """;
        var vault = new ArmExpressions(KeyVault.Template, new Dictionary<string, JsonNode?>
        {
            ["name"] = "kv-test", ["mediaNumberCredentials"] = JsonNode.Parse(credentials),
        });

        // One secret per token or key given, named after the number, holding the value.
        var loop = KeyVault.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Single(r => r["copy"] is not null);
        Assert.Equal(2L, vault.Evaluate((string)loop["copy"]!["count"]!));
        var created = new List<(string, string)>();
        for (vault.CopyIndex = 0; vault.CopyIndex < 2; vault.CopyIndex++)
            created.Add(((string)vault.Evaluate((string)loop["name"]!)!, (string)vault.Evaluate((string)loop["properties"]!["value"]!)!));
        Assert.Equal([("kv-test/media-number-111-access-token", "token-111"), ("kv-test/media-number-222-api-key", "key-222")], created);

        // The app settings: references to those secrets, by the names the code binds (Media:Numbers:<id>:AccessToken, :ApiKey).
        var references = ArmExpressions.Show(vault.Output("appSettings"));
        Assert.Equal(Json(("Media__Numbers__111__AccessToken", Reference("media-number-111-access-token")),
            ("Media__Numbers__222__ApiKey", Reference("media-number-222-api-key"))), references);

        // main.bicep hands the api module provider and base URL only, which become plain settings; no token or key gets there.
        var main = new ArmExpressions(Main.Root, new Dictionary<string, JsonNode?> { ["mediaNumberCredentials"] = JsonNode.Parse(credentials) });
        var endpoints = ArmExpressions.Show(main.Variable("mediaNumberEndpoints"));
        Assert.Equal("""{"111":{"baseUrl":"","provider":""},"222":{"baseUrl":"https://waba.example/","provider":"360dialog"},"3"""
            + """33":{"baseUrl":"","provider":"meta"}}""", endpoints);
        var api = new ArmExpressions(Api.Template, new Dictionary<string, JsonNode?>
        {
            ["mediaProvider"] = "meta", ["mediaBaseUrl"] = "", ["mediaNumbers"] = JsonNode.Parse(endpoints),
        });
        var settings = ArmExpressions.Show(api.Variable("mediaSettings"));
        Assert.Equal(Json(("Media__Numbers__222__BaseUrl", "https://waba.example/"), ("Media__Numbers__222__Provider", "360dialog"),
            ("Media__Numbers__333__Provider", "meta"), ("Media__Provider", "meta")), settings);
        foreach (var secret in new[] { "token-111", "key-222" })
            Assert.DoesNotContain(secret, endpoints + settings + references, StringComparison.Ordinal);
    }

    /// <summary>A versionless Key Vault reference to <paramref name="secret"/> in the vault <see cref="ArmExpressions"/> answers for.</summary>
    private static string Reference(string secret) => $"@Microsoft.KeyVault(SecretUri={ArmExpressions.VaultUri}secrets/{secret}/)";

    /// <summary>Settings as <see cref="ArmExpressions.Show"/> writes them: keys in ordinal order.</summary>
    private static string Json(params (string Key, string Value)[] settings) =>
        ArmExpressions.Show(new SortedDictionary<string, object?>(settings.ToDictionary(s => s.Key, s => (object?)s.Value), StringComparer.Ordinal));
}
