using System.Diagnostics;
using System.Text.RegularExpressions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// The azd preprovision hook (infra/hooks/require-webhook-credential.sh): <c>azd up</c> stops unless the azd
/// environment, which azd hands to hooks as environment variables, holds a webhook credential.
/// </summary>
public class WebhookCredentialHookTests
{
    private const string Script = "infra/hooks/require-webhook-credential.sh";
    private const string WindowsScript = "infra/hooks/require-webhook-credential.ps1";

    private static readonly string[] Variables =
        ["WEBHOOK_PROVIDER_SECRET", "WEBHOOK_META_APP_SECRET", "WEBHOOK_HEADER_NAME", "WEBHOOK_HEADER_TOKEN"];

    /// <summary>Cleared too before each run: the hook warns when it is empty.</summary>
    private const string AlertEmail = "ALERT_EMAIL";

    public static TheoryData<string, int, string> Cases => new()
    {
        // "NAME=value;NAME=value", expected exit code, what the message must name
        { "", 1, "WEBHOOK_PROVIDER_SECRET" },
        { "WEBHOOK_PROVIDER_SECRET=s3cret-provider", 0, "" },
        { "WEBHOOK_META_APP_SECRET=s3cret-meta", 0, "" },
        { "WEBHOOK_HEADER_NAME=X-Coexistence-Token", 1, "WEBHOOK_HEADER_TOKEN" },
        { "WEBHOOK_HEADER_NAME=X-Coexistence-Token;WEBHOOK_HEADER_TOKEN=s3cret-token", 0, "" },
        { "WEBHOOK_HEADER_TOKEN=s3cret-token", 1, "WEBHOOK_HEADER_NAME" },
        { "WEBHOOK_PROVIDER_SECRET=   ", 1, "WEBHOOK_PROVIDER_SECRET" },
        // Half a header is a start-up error of the app, whatever else is set.
        { "WEBHOOK_PROVIDER_SECRET=s3cret-provider;WEBHOOK_HEADER_NAME=X-Coexistence-Token", 1, "WEBHOOK_HEADER_TOKEN" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Provisioning_stops_unless_the_environment_holds_a_webhook_credential(string environment, int exitCode, string named)
    {
        var values = environment.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var (code, output, azdCalled) = RunHook(values);

        Assert.True(code == exitCode, $"exit code {code}, expected {exitCode}; output: {output}");
        if (exitCode != 0)
        {
            Assert.Contains(named, output);
            Assert.Contains("azd env set", output);
        }
        Assert.All(values.Values.Where(v => v.Trim().Length > 0 && v.StartsWith("s3cret", StringComparison.Ordinal)),
            secret => Assert.DoesNotContain(secret, output));
        Assert.False(azdCalled, "the hook must not run azd");
    }

    [Fact]
    public void Provisioning_goes_on_without_an_alert_email_but_says_that_the_alerts_notify_nobody()
    {
        var (code, output, _) = RunHook(new Dictionary<string, string> { ["WEBHOOK_PROVIDER_SECRET"] = "s3cret-provider" });
        Assert.Equal(0, code);
        Assert.Contains("warning: ALERT_EMAIL is not set", output);
        Assert.Contains("azd env set ALERT_EMAIL", output);

        (code, output, _) = RunHook(new Dictionary<string, string> { ["WEBHOOK_PROVIDER_SECRET"] = "s3cret-provider", [AlertEmail] = "ops@example.com" });
        Assert.Equal(0, code);
        Assert.DoesNotContain("ALERT_EMAIL", output);

        // The Windows twin says the same.
        var windows = File.ReadAllText(Repository.PathOf(WindowsScript));
        Assert.Contains("$env:ALERT_EMAIL", windows);
        Assert.Contains("warning: ALERT_EMAIL is not set", windows);
    }

    [Fact]
    public void The_message_without_any_credential_names_every_way_to_give_one()
    {
        var (code, output, _) = RunHook(new Dictionary<string, string>());
        Assert.NotEqual(0, code);
        Assert.All(Variables, v => Assert.Contains(v, output));
        Assert.Contains("docs/deploy.md", output);
    }

    [Fact]
    public void Azd_runs_the_hook_before_every_provision_on_posix_and_windows()
    {
        var hooks = AzureYaml.Section("hooks");
        Assert.Matches(@"(?m)^  preprovision:\s*$", hooks);
        Assert.Matches(@"(?ms)^    posix:\s*\n      shell: sh\s*\n      run: " + Script.Replace(".", @"\.") + @"\s*$", hooks);
        Assert.Matches(@"(?ms)^    windows:\s*\n      shell: pwsh\s*\n      run: " + WindowsScript.Replace(".", @"\.") + @"\s*$", hooks);

        // The Windows twin (no PowerShell on this machine to run it) checks the same variables, both-or-neither included.
        var windows = File.ReadAllText(Repository.PathOf(WindowsScript));
        Assert.All(Variables, v => Assert.Contains($"$env:{v}", windows));
        Assert.Contains("both or neither", windows);
        // It never runs azd: outside its messages (strings) and comments, azd does not occur.
        var code = Regex.Replace(windows, @"(?s)@'.*?'@", "");
        code = Regex.Replace(code, "\"[^\"]*\"|'[^']*'", "");
        code = Regex.Replace(code, "(?m)#.*$", "");
        Assert.DoesNotMatch(@"\bazd\b", code);
    }

    [Fact]
    public void The_hook_checks_the_variables_azd_maps_to_the_webhook_parameters()
    {
        var parameters = ReadApiAuthenticationTests.ParametersFile();
        foreach (var (parameter, variable) in new[]
                 {
                     ("webhookProviderSecret", "WEBHOOK_PROVIDER_SECRET"), ("webhookMetaAppSecret", "WEBHOOK_META_APP_SECRET"),
                     ("webhookHeaderName", "WEBHOOK_HEADER_NAME"), ("webhookHeaderToken", "WEBHOOK_HEADER_TOKEN"),
                 })
            Assert.Equal($"${{{variable}=}}", (string?)parameters[parameter]!["value"]);
    }

    /// <summary>Runs the hook with only <paramref name="values"/> of the webhook variables set, and a fake azd first on PATH.</summary>
    private static (int Code, string Output, bool AzdCalled) RunHook(IReadOnlyDictionary<string, string> values)
    {
        var bin = Directory.CreateTempSubdirectory("coexistence-hook-");
        try
        {
            var marker = Path.Combine(bin.FullName, "azd-was-called");
            var azd = Path.Combine(bin.FullName, "azd");
            File.WriteAllText(azd, $"#!/bin/sh\ntouch '{marker}'\nexit 1\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(azd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
            start.ArgumentList.Add(Repository.PathOf(Script));
            foreach (var name in Variables.Append(AlertEmail))
                start.Environment.Remove(name);
            foreach (var (name, value) in values)
                start.Environment[name] = value;
            start.Environment["PATH"] = bin.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(30_000), "the hook did not finish in 30 s");
            return (process.ExitCode, stdout.Result + stderr.Result, File.Exists(marker));
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}
