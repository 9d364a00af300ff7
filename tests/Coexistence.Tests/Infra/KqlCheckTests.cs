using System.Diagnostics;
using System.Text.Json.Nodes;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// scripts/kql/check.cjs, the check that parses every alert and workbook query of the compiled template with
/// Microsoft's Kusto language service (issue 18, finding 7): it passes on today's template, and fails on the queries
/// as they were before the fix (an unbracketed `kind`), on an unknown column, and on a query run against the wrong
/// tables. Needs Node.js and `npm ci` (scripts/test.sh installs the npm tools before the tests).
/// </summary>
public class KqlCheckTests
{
    private const string Script = "scripts/kql/check.cjs";

    [Fact]
    public void Every_query_of_the_compiled_template_parses_against_the_Application_Insights_schema()
    {
        var (code, output) = Check(Repository.PathOf(ArmTemplate.RelativePath));
        Assert.True(code == 0, output);
        Assert.Matches(@"kql: (\d+) queries, 0 with errors", output);
        // The seven log alerts and the nine workbook tiles were all found and checked.
        Assert.Equal(7, output.Split('\n').Count(l => l.StartsWith("kql ok", StringComparison.Ordinal) && l.Contains("(alert,", StringComparison.Ordinal)));
        Assert.Equal(9, output.Split('\n').Count(l => l.StartsWith("kql ok", StringComparison.Ordinal) && l.Contains("(workbook item", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_queries_as_they_were_before_issue_18_fail_on_the_unbracketed_kind()
    {
        // Today's template with the column named `kind` again, as the two alerts and two tiles had it.
        var (code, output) = CheckEdited(text => text.Replace("changeKind", "kind", StringComparison.Ordinal));
        Assert.Equal(1, code);
        Assert.Contains("KS228 The name 'kind' needs to be bracketed as ['kind'] to be used in this context.", output);
        Assert.Contains("kql: 16 queries, 4 with errors", output);
        Assert.Contains("kql ERROR  alerts/'Queue messages rejected by the consumers'", output);
        Assert.Contains("kql ERROR  alerts/'Fan-out latency high'", output);
    }

    [Fact]
    public void A_column_the_table_does_not_have_fails()
    {
        var (code, output) = CheckEdited(text => text.Replace("max(valueMax)", "max(valueMaximum)", StringComparison.Ordinal));
        Assert.Equal(1, code);
        Assert.Contains("KS142 The name 'valueMaximum' does not refer to any known column, table, variable or function.", output);
    }

    [Fact]
    public void A_query_is_checked_against_the_tables_of_the_resource_it_is_scoped_to()
    {
        // Scoped to the workspace: the App* tables exist there, the classic Application Insights ones do not.
        var (ok, okOutput) = CheckTemplate(RuleOn("Microsoft.OperationalInsights/workspaces", "AppTraces | where SeverityLevel >= 3 | summarize count() by AppRoleName"));
        Assert.True(ok == 0, okOutput);
        Assert.Contains("[Log Analytics workspace]", okOutput);

        var (failed, failedOutput) = CheckTemplate(RuleOn("Microsoft.OperationalInsights/workspaces", "traces | where severityLevel >= 3"));
        Assert.Equal(1, failed);
        Assert.Contains("KS204 The name 'traces' does not refer to any known table, tabular variable or function.", failedOutput);

        var (unknown, unknownOutput) = CheckTemplate(RuleOn("Microsoft.Storage/storageAccounts", "StorageBlobLogs | take 1"));
        Assert.Equal(1, unknown);
        Assert.Contains("no schema for the resource type microsoft.storage/storageaccounts", unknownOutput);
    }

    [Fact]
    public void A_template_without_queries_fails_rather_than_passing_on_nothing()
    {
        var (code, output) = CheckTemplate(new JsonObject { ["resources"] = new JsonArray() });
        Assert.Equal(1, code);
        Assert.Contains("no alert or workbook query found", output);
    }

    /// <summary>A minimal template: one scheduled query rule on a resource of <paramref name="type"/>.</summary>
    private static JsonObject RuleOn(string type, string query) => new()
    {
        ["$schema"] = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        ["parameters"] = new JsonObject { ["target"] = new JsonObject { ["type"] = "string", ["defaultValue"] = "t1" } },
        ["resources"] = new JsonArray(new JsonObject
        {
            ["type"] = "Microsoft.Insights/scheduledQueryRules",
            ["name"] = "rule",
            ["properties"] = new JsonObject
            {
                ["displayName"] = "test rule",
                ["scopes"] = new JsonArray($"[resourceId('{type}', parameters('target'))]"),
                ["criteria"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["query"] = query }) },
            },
        }),
    };

    private static (int Code, string Output) CheckEdited(Func<string, string> edit) =>
        CheckTemplate(JsonNode.Parse(edit(File.ReadAllText(Repository.PathOf(ArmTemplate.RelativePath))))!);

    private static (int Code, string Output) CheckTemplate(JsonNode template)
    {
        var file = Path.Combine(Path.GetTempPath(), $"coexistence-kql-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, template.ToJsonString());
        try { return Check(file); }
        finally { File.Delete(file); }
    }

    private static (int Code, string Output) Check(string template)
    {
        Assert.True(File.Exists(Repository.PathOf("node_modules/@kusto/language-service-next/Kusto.Language.Bridge.js")),
            "The Kusto language service is not installed: run `npm ci` (scripts/test.sh and scripts/check-infra.sh do).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Repository.PathOf(Script));
        start.ArgumentList.Add(template);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the KQL check did not finish in 60 s");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
