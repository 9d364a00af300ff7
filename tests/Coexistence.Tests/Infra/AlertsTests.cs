using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coexistence.Telemetry;

namespace Coexistence.Tests.Infra;

/// <summary>
/// infra/app/alerts.bicep, compiled: the alerts of docs/operations.md exist, watch what the code emits
/// (metric and function names), and the workbook deploys with the rest.
/// </summary>
public partial class AlertsTests
{
    private static ArmTemplate Main => ArmTemplate.Load();
    private static ArmTemplate.Module Alerts => Main.ModuleNamed("alerts");

    private static IEnumerable<JsonObject> QueryRules => Alerts.ResourcesOfType("Microsoft.Insights/scheduledQueryRules");

    /// <summary>Every query text of the module, with its variables inlined.</summary>
    private static string AllQueries => string.Join("\n",
        Alerts.Variables.Where(v => v.Value is JsonValue).Select(v => (string?)v.Value).Concat(
            Alerts.Variables["workbookQueries"]!.AsArray().Select(q => (string?)q!["query"])));

    [Fact]
    public void Dead_lettered_messages_in_any_Service_Bus_queue_raise_an_alert()
    {
        var alert = Alerts.Single("Microsoft.Insights/metricAlerts");
        var criterion = alert["properties"]!["criteria"]!["allOf"]![0]!;
        Assert.Equal("DeadletteredMessages", (string?)criterion["metricName"]);
        Assert.Equal("Microsoft.ServiceBus/namespaces", (string?)criterion["metricNamespace"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);
        Assert.Equal("EntityName", (string?)criterion["dimensions"]![0]!["name"]);
        Assert.Contains("Microsoft.ServiceBus/namespaces", alert["properties"]!["scopes"]!.ToJsonString());
    }

    [Fact]
    public void Door_5xx_stalled_history_latency_and_rejections_have_log_alerts()
    {
        var rules = QueryRules.ToList();
        Assert.Equal(4, rules.Count);
        var queries = rules.Select(r => Alerts.InlineStringVariables((string)r["properties"]!["criteria"]!["allOf"]![0]!["query"]!)).ToList();
        Assert.Contains(queries, q => q.Contains("requests") && q.Contains($"'{nameof(Coexistence.Functions.ReceiveWebhook)}'") && q.Contains(">= 500"));
        Assert.Contains(queries, q => q.Contains("coexistence.history.progress") && q.Contains("progress < 100"));
        Assert.Contains(queries, q => q.Contains("coexistence.fanout.latency"));
        Assert.Contains(queries, q => q.Contains("coexistence.changes.processed") && q.Contains("rejected"));
        Assert.All(rules, r => Assert.Contains("docs/operations.md#", (string)r["properties"]!["description"]!));
    }

    [Fact]
    public void Thresholds_are_parameters_of_the_deployment()
    {
        Assert.Equal(360, (int)Main.DefaultOf("historyStallMinutes")!);
        Assert.Equal(300, (int)Main.DefaultOf("fanOutLatencyThresholdSeconds")!);
        Assert.Equal("", (string?)Main.DefaultOf("alertEmail"));
        var actionGroup = Alerts.Single("Microsoft.Insights/actionGroups");
        Assert.Contains("alertEmail", (string)actionGroup["condition"]!);
    }

    [Fact]
    public void The_workbook_deploys_with_the_alerts_views()
    {
        var workbook = Alerts.Single("Microsoft.Insights/workbooks");
        Assert.Equal("shared", (string?)workbook["kind"]);
        Assert.Contains("workbookContent", (string)workbook["properties"]!["serializedData"]!);
        Assert.True(Alerts.Variables["workbookQueries"]!.AsArray().Count >= 6);
    }

    [Fact]
    public void Every_metric_the_alerts_and_workbook_read_is_one_the_code_emits()
    {
        var emitted = typeof(CoexistenceTelemetry).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetValue(null)).OfType<Instrument>().Select(i => i.Name).ToHashSet();
        var read = MetricName().Matches(AllQueries).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(read);
        Assert.All(read, name => Assert.Contains(name, emitted));
        foreach (var tag in TagName().Matches(AllQueries).Select(m => m.Groups[1].Value).Distinct())
            Assert.Contains(tag, new[] { CoexistenceTelemetry.OutcomeTag, CoexistenceTelemetry.ReasonTag, CoexistenceTelemetry.KindTag, CoexistenceTelemetry.PhoneNumberIdTag });
    }

    [GeneratedRegex(@"'(coexistence\.(?:webhooks|changes\.[a-z]+|messages\.written|contacts\.written|facts\.received|items\.quarantined|history\.[a-z]+|fanout\.latency|claim_checks?(?:\.size)?))'")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"customDimensions\['([a-z_.]+)'\]")]
    private static partial Regex TagName();
}
