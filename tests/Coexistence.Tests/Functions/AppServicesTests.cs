using System.Reflection;
using Coexistence.Functions;
using Coexistence.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Coexistence.Tests.Functions;

/// <summary>
/// The app's dependency wiring, checked without a Functions host (none can run here): the container
/// builds with validation, every function class of the app can be created from it, and settings bind.
/// </summary>
public class AppServicesTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        AppServices.Add(services, configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A local run's settings: Azurite, and unsigned webhooks allowed (as local.settings.sample.json says).</summary>
    private static Dictionary<string, string?> Local() =>
        new() { ["CoexistenceStorage"] = Azurite.ConnectionString, ["WebhookAuth:AllowUnsigned"] = "true" };

    [Fact]
    public void Every_function_class_of_the_app_can_be_created_from_the_container()
    {
        using var provider = Build(Local());
        var functionClasses = typeof(ReceiveWebhook).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)).ToList();

        // The door, the handshake, nine read API functions (the archived media file among them), five queue consumers,
        // the media jobs' consumer, the retention timer.
        Assert.Equal(18, functionClasses.Count);
        foreach (var type in functionClasses)
            Assert.NotNull(ActivatorUtilities.CreateInstance(provider, type));
        // Storage provisioning and the start-up report of webhook authentication.
        Assert.Equal(2, provider.GetServices<IHostedService>().Count());
    }

    [Fact]
    public void Settings_bind_to_the_options_the_door_and_the_read_API_use()
    {
        var settings = Local();
        settings["Intake:MaxBodyBytes"] = "5000000";
        settings["WebhookAuth:ProviderSecrets:0"] = "first";
        settings["WebhookAuth:ProviderSecrets:1"] = "second";
        settings["ReadApi:DefaultPageSize"] = "25";
        settings["Retention:TableDays"] = "90";
        using var provider = Build(settings);

        Assert.Equal(5_000_000, provider.GetRequiredService<IntakeOptions>().MaxBodyBytes);
        Assert.Equal(45_000, provider.GetRequiredService<IntakeOptions>().ClaimCheckThresholdBytes);
        Assert.Equal(["first", "second"], provider.GetRequiredService<WebhookAuthOptions>().ProviderSecrets);
        Assert.Equal(25, provider.GetRequiredService<ReadApiOptions>().DefaultPageSize);
        Assert.Equal(90, provider.GetRequiredService<RetentionOptions>().TableDays);
        Assert.Equal(365, provider.GetRequiredService<RetentionOptions>().ArchiveDays);
    }

    /// <summary>What the host runs before any function: the settings' validation (ValidateOnStart).</summary>
    private static void ValidateAtStartUp(ServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Inconsistent_settings_stop_the_app_at_start_up()
    {
        using (var valid = Build(Local())) ValidateAtStartUp(valid);

        var settings = Local();
        settings["WebhookAuth:HeaderName"] = "X-Token";
        using (var provider = Build(settings))
            Assert.Contains("WebhookAuth:HeaderName is set but WebhookAuth:HeaderTokens is empty",
                Assert.Throws<OptionsValidationException>(() => ValidateAtStartUp(provider)).Message);

        settings = Local();
        settings["Intake:MaxBodyBytes"] = "10";
        settings["ReadApi:MaxPageSize"] = "0";
        using (var provider = Build(settings))
        {
            // Every failing section is reported at once (one OptionsValidationException per section, aggregated).
            var error = Assert.Throws<AggregateException>(() => ValidateAtStartUp(provider));
            Assert.All(error.InnerExceptions, e => Assert.IsType<OptionsValidationException>(e));
            Assert.Contains("Intake:MaxBodyBytes must be at least 1024.", error.Message);
            Assert.Contains("ReadApi:MaxPageSize must be between 1 and 1000.", error.Message);
        }
    }

    [Fact]
    public void Without_webhook_authentication_the_app_refuses_to_start_unless_unsigned_webhooks_are_explicitly_allowed()
    {
        var bare = new Dictionary<string, string?> { ["CoexistenceStorage"] = Azurite.ConnectionString };
        using (var provider = Build(bare))
            Assert.Contains(WebhookAuthOptions.NothingConfigured, Assert.Throws<OptionsValidationException>(() => ValidateAtStartUp(provider)).Message);

        // A verify token alone authenticates only the handshake, not a single webhook.
        using (var provider = Build(new(bare) { ["WebhookAuth:VerifyTokens:0"] = "handshake" }))
            Assert.Throws<OptionsValidationException>(() => ValidateAtStartUp(provider));
        using (var provider = Build(new(bare) { ["WebhookAuth:AllowUnsigned"] = "false" }))
            Assert.Throws<OptionsValidationException>(() => ValidateAtStartUp(provider));

        foreach (var enough in new Dictionary<string, string?>[]
                 {
                     new(bare) { ["WebhookAuth:ProviderSecrets:0"] = "provider" },
                     new(bare) { ["WebhookAuth:MetaAppSecrets:0"] = "meta" },
                     new(bare) { ["WebhookAuth:HeaderName"] = "X-Token", ["WebhookAuth:HeaderTokens:0"] = "token" },
                     new(bare) { ["WebhookAuth:AllowUnsigned"] = "true" },
                 })
            using (var provider = Build(enough))
                ValidateAtStartUp(provider);
    }

    [Fact]
    public void The_sample_local_settings_start_the_app_with_unsigned_webhooks_allowed()
    {
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":"), p => (string?)p.Value.GetString());
        Assert.Equal("true", settings["WebhookAuth:AllowUnsigned"]);
        settings["CoexistenceStorage"] = Azurite.ConnectionString;

        using var provider = Build(settings);
        ValidateAtStartUp(provider);
    }

    [Fact]
    public void An_empty_secret_or_token_is_a_start_up_error_that_names_its_setting()
    {
        var settings = Local();
        settings["WebhookAuth:ProviderSecrets:0"] = "real";
        settings["WebhookAuth:ProviderSecrets:1"] = "";
        settings["WebhookAuth:VerifyTokens:0"] = " ";
        using var provider = Build(settings);
        var error = Assert.Throws<OptionsValidationException>(() => ValidateAtStartUp(provider));
        Assert.Contains("WebhookAuth:ProviderSecrets:1 is empty", error.Message);
        Assert.Contains("WebhookAuth:VerifyTokens:0 is empty", error.Message);
        Assert.DoesNotContain("ProviderSecrets:0", error.Message);
    }

    [Fact]
    public async Task The_app_says_at_start_up_which_webhook_checks_are_on_warning_when_webhooks_get_in_unsigned()
    {
        async Task<string> StartUpLogAsync(Dictionary<string, string?> settings)
        {
            var logs = new CapturedLogs();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(logs);
            services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Logger<>));
            AppServices.Add(services, configuration);
            await using var provider = services.BuildServiceProvider();
            var report = provider.GetServices<IHostedService>().Single(s => s.GetType().Name == "WebhookAuthenticationReport");
            await report.StartAsync(CancellationToken.None);
            return logs.AllText;
        }

        var unsigned = await StartUpLogAsync(Local());
        Assert.Contains("Warning", unsigned);
        Assert.Contains("AllowUnsigned", unsigned);

        var settings = Local();
        settings["WebhookAuth:ProviderSecrets:0"] = "provider-secret-value";
        settings["WebhookAuth:HeaderName"] = "X-Token";
        settings["WebhookAuth:HeaderTokens:0"] = "header-token-value";
        var signed = await StartUpLogAsync(settings);
        Assert.Contains("Information", signed);
        Assert.Contains("provider signature (1 secret(s)), header X-Token (1 token(s))", signed);
        Assert.DoesNotContain("provider-secret-value", signed);
        Assert.DoesNotContain("header-token-value", signed);
        Assert.DoesNotContain("either sender may write any number's rows", signed);

        // Two senders, neither limited to its accounts: a warning (issue 17, finding 4).
        settings["WebhookAuth:MetaAppSecrets:0"] = "meta-secret-value";
        Assert.Contains("either sender may write any number's rows", await StartUpLogAsync(settings));
        settings["WebhookAuth:MetaAppAccounts:0"] = "999888777666555";
        Assert.DoesNotContain("either sender may write any number's rows", await StartUpLogAsync(settings));
    }

    [Fact]
    public void Storage_is_created_at_start_up_only_with_a_connection_string()
    {
        // Locally (Azurite): the app creates its tables, queues and containers before the first function runs.
        using (var local = Build(Local()))
            Assert.Contains(local.GetServices<IHostedService>(), s => s.GetType().Name == "StorageProvisioning");

        // In Azure (identity-based service URIs): the deployment created them; the app creates nothing (issue 18, finding 14).
        var azure = new Dictionary<string, string?>
        {
            ["CoexistenceStorage:tableServiceUri"] = "https://acct.table.core.windows.net",
            ["CoexistenceStorage:blobServiceUri"] = "https://acct.blob.core.windows.net",
            ["CoexistenceStorage:queueServiceUri"] = "https://acct.queue.core.windows.net",
            ["CoexistenceStorage:credential"] = "managedidentity",
            ["WebhookAuth:ProviderSecrets:0"] = "provider",
        };
        using var deployed = Build(azure);
        var hosted = deployed.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        Assert.DoesNotContain("StorageProvisioning", hosted);
        Assert.Contains("WebhookAuthenticationReport", hosted);
    }

    [Fact]
    public async Task Created_at_start_up_locally_the_storage_exists_before_the_first_function_runs()
    {
        // The app's own instance works on StorageNames.Default, which other tests create too; the same hosted
        // service on names of its own shows that starting it is what creates them.
        var names = StorageNames.WithPrefix("prov" + Guid.NewGuid().ToString("N")[..12]);
        var storage = StorageClients.FromConnectionString(Azurite.ConnectionString, names);
        using var provider = Build(Local());
        var provisioning = provider.GetServices<IHostedService>().Single(s => s.GetType().Name == "StorageProvisioning");
        var own = (IHostedService)Activator.CreateInstance(provisioning.GetType(), storage)!;
        Assert.False((await storage.Container(names.RawArchiveContainer).ExistsAsync()).Value);

        await own.StartAsync(CancellationToken.None);

        foreach (var queue in names.Queues)
        {
            Assert.True((await storage.Queue(queue).ExistsAsync()).Value, queue);
            Assert.True((await storage.Queue(StorageNames.PoisonQueueOf(queue)).ExistsAsync()).Value, queue);
        }
        Assert.True((await storage.Container(names.RawArchiveContainer).ExistsAsync()).Value);
        foreach (var table in names.Tables)
            Assert.Single(storage.Tables.Query(t => t.Name == table));
    }

    [Fact]
    public void An_unresolved_Key_Vault_reference_stops_the_app_naming_the_setting()
    {
        // App Service hands an unresolvable reference to the app as its own text; that text must not become a secret.
        var settings = Local();
        settings["WebhookAuth:ProviderSecrets:0"] = "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/webhook-provider-secret/)";
        settings["ReadApi:TokenKey"] = " @microsoft.keyvault(VaultName=kv-x;SecretName=read-api-token-key)";
        var error = Assert.Throws<InvalidOperationException>(() => Build(settings));
        Assert.Contains("Unresolved Key Vault reference in ReadApi:TokenKey, WebhookAuth:ProviderSecrets:0", error.Message);
        Assert.Contains("Key Vault Secrets User", error.Message);
        Assert.DoesNotContain("SecretUri", error.Message);

        // A resolved value is just a value.
        settings = Local();
        settings["WebhookAuth:ProviderSecrets:0"] = "the-resolved-secret";
        using var provider = Build(settings);
        ValidateAtStartUp(provider);
    }

    [Fact]
    public void Host_and_worker_both_export_through_OpenTelemetry_so_logs_reach_Application_Insights_once()
    {
        // host.json puts the Functions host on OpenTelemetry (issue 18, finding 14)...
        using var hostJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json")));
        Assert.Equal("OpenTelemetry", hostJson.RootElement.GetProperty("telemetryMode").GetString());
        // ...whose Application Insights SDK settings would no longer apply.
        Assert.False(hostJson.RootElement.GetProperty("logging").TryGetProperty("applicationInsights", out _));

        // ...and the worker, exporting itself, tells the host so (UseFunctionsWorkerDefaults): the host then stops
        // sending the worker's logs on its behalf.
        var settings = Local();
        settings[TelemetrySetup.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://localhost/";
        using var provider = Build(settings);
        var worker = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
        Assert.Equal(bool.TrueString, worker.Capabilities["WorkerOpenTelemetryEnabled"]);
    }

    [Fact]
    public void Identity_based_storage_needs_all_three_service_uris()
    {
        var settings = new Dictionary<string, string?> { ["CoexistenceStorage:tableServiceUri"] = "https://acct.table.core.windows.net" };
        using var provider = Build(settings);
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<Coexistence.Storage.StorageClients>());
        Assert.Contains("CoexistenceStorage__blobServiceUri", error.Message);
    }
}
