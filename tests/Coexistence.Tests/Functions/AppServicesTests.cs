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

    private static Dictionary<string, string?> Local() => new() { ["CoexistenceStorage"] = Azurite.ConnectionString };

    [Fact]
    public void Every_function_class_of_the_app_can_be_created_from_the_container()
    {
        using var provider = Build(Local());
        var functionClasses = typeof(ReceiveWebhook).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)).ToList();

        // The door, the handshake, six read API functions, four queue consumers.
        Assert.Equal(12, functionClasses.Count);
        foreach (var type in functionClasses)
            Assert.NotNull(ActivatorUtilities.CreateInstance(provider, type));
        Assert.Single(provider.GetServices<IHostedService>());
    }

    [Fact]
    public void Settings_bind_to_the_options_the_door_and_the_read_API_use()
    {
        var settings = Local();
        settings["Intake:MaxBodyBytes"] = "5000000";
        settings["WebhookAuth:ProviderSecrets:0"] = "first";
        settings["WebhookAuth:ProviderSecrets:1"] = "second";
        settings["ReadApi:DefaultPageSize"] = "25";
        using var provider = Build(settings);

        Assert.Equal(5_000_000, provider.GetRequiredService<IntakeOptions>().MaxBodyBytes);
        Assert.Equal(45_000, provider.GetRequiredService<IntakeOptions>().ClaimCheckThresholdBytes);
        Assert.Equal(["first", "second"], provider.GetRequiredService<WebhookAuthOptions>().ProviderSecrets);
        Assert.Equal(25, provider.GetRequiredService<ReadApiOptions>().DefaultPageSize);
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
    public void Identity_based_storage_needs_all_three_service_uris()
    {
        var settings = new Dictionary<string, string?> { ["CoexistenceStorage:tableServiceUri"] = "https://acct.table.core.windows.net" };
        using var provider = Build(settings);
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<Coexistence.Storage.StorageClients>());
        Assert.Contains("CoexistenceStorage__blobServiceUri", error.Message);
    }
}
