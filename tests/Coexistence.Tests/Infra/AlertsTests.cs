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
        Alerts.Variables.Where(v => v.Value is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String).Select(v => (string?)v.Value).Concat(
            Alerts.Variables["workbookQueries"]!.AsArray().Select(q => (string?)q!["query"])));

    private static IEnumerable<JsonObject> MetricAlerts => Alerts.ResourcesOfType("Microsoft.Insights/metricAlerts");

    private static JsonObject QueryRule(string displayName) =>
        QueryRules.Single(r => (string?)r["properties"]!["displayName"] == displayName);

    [Fact]
    public void A_number_removed_offboarded_uninstalled_or_deleted_raises_an_alert_per_number_and_event_that_does_not_resolve_itself()
    {
        var rule = QueryRule("A business number was removed or offboarded");
        var properties = rule["properties"]!;
        Assert.Equal((1, false), ((int)properties["severity"]!, (bool)properties["autoMitigate"]!));
        Assert.Contains("docs/operations.md#a-number-was-removed-or-offboarded", (string)properties["description"]!);
        var criterion = properties["criteria"]!["allOf"]!.AsArray().Single()!;
        Assert.Equal(["phoneNumberId", "lifecycleEvent", "reason"], criterion["dimensions"]!.AsArray().Select(d => (string?)d!["name"]));
        var query = (string)Alerts.Variables["lifecycleQuery"]!;
        // The counter the registry adds to once per event and number, and the events that disconnect a number (AccountEvent.Disconnects).
        Assert.Contains("'coexistence.lifecycle.events'", query);
        foreach (var name in new[] { AccountEvent.PartnerRemoved, AccountEvent.AccountOffboarded, AccountEvent.PartnerAppUninstalled, AccountEvent.AccountDeleted })
        {
            Assert.True(AccountEvent.Disconnects(name));
            Assert.Contains($"'{name}'", query);
        }
        Assert.Contains($"'{CoexistenceTelemetry.LifecycleEventTag}'", query);
    }

    [Fact]
    public void A_media_job_that_failed_for_good_raises_an_alert_within_15_minutes()
    {
        var properties = QueryRule("Media downloads failed")["properties"]!;
        Assert.Equal((2, true), ((int)properties["severity"]!, (bool)properties["autoMitigate"]!));
        Assert.Equal(("PT15M", "PT15M"), ((string?)properties["evaluationFrequency"], (string?)properties["windowSize"]));
        Assert.Contains("docs/operations.md#media-downloads-failed", (string)properties["description"]!);
        Assert.Contains("coexistence-media-poison", (string)properties["description"]!);
        Assert.Equal("[variables('actionGroups')]", (string?)properties["actions"]!["actionGroups"]);

        var criterion = properties["criteria"]!["allOf"]!.AsArray().Single()!;
        Assert.Equal("[variables('mediaFailedQuery')]", (string?)criterion["query"]);
        Assert.Equal(("failed", "Total", "GreaterThan", 0), ((string?)criterion["metricMeasureColumn"], (string?)criterion["timeAggregation"],
            (string?)criterion["operator"], (int)criterion["threshold"]!));
        // The counter of media jobs, by the outcome the job ended with: only "failed" is for good (retried and throttled come back).
        var query = Alerts.StringVariable("mediaFailedQuery");
        Assert.Contains("where name == 'coexistence.media.jobs' and tostring(customDimensions['coexistence.outcome']) == 'failed'", query);
        Assert.Contains("summarize failed = sum(valueSum)", query);
    }

    [Fact]
    public void Throttled_media_downloads_raise_a_lower_severity_alert_over_an_hour()
    {
        var properties = QueryRule("Media downloads throttled")["properties"]!;
        Assert.Equal((3, true), ((int)properties["severity"]!, (bool)properties["autoMitigate"]!));
        Assert.Equal(("PT15M", "PT1H"), ((string?)properties["evaluationFrequency"], (string?)properties["windowSize"]));
        Assert.Contains("docs/operations.md#media-downloads-throttled", (string)properties["description"]!);
        Assert.True((int)QueryRule("Media downloads failed")["properties"]!["severity"]! < (int)properties["severity"]!);

        var criterion = properties["criteria"]!["allOf"]!.AsArray().Single()!;
        Assert.Equal("[variables('mediaThrottledQuery')]", (string?)criterion["query"]);
        Assert.Equal(("throttled", "Total", "GreaterThan"), ((string?)criterion["metricMeasureColumn"], (string?)criterion["timeAggregation"],
            (string?)criterion["operator"]));
        Assert.Equal("[parameters('mediaThrottledAlertThreshold')]", (string?)criterion["threshold"]);
        Assert.Equal(0, (int)Main.DefaultOf("mediaThrottledAlertThreshold")!);
        Assert.Equal(0, (int)Main.Parameters["mediaThrottledAlertThreshold"]!["minValue"]!);
        Assert.Equal("[parameters('mediaThrottledAlertThreshold')]", (string?)Alerts.Arguments["mediaThrottledAlertThreshold"]!["value"]);
        var query = Alerts.StringVariable("mediaThrottledQuery");
        Assert.Contains("where name == 'coexistence.media.jobs' and tostring(customDimensions['coexistence.outcome']) == 'throttled'", query);
        Assert.Contains("summarize throttled = sum(valueSum)", query);

        // The workbook's media tile: jobs queued and jobs by outcome, per hour.
        var tile = (string)Alerts.Variables["workbookQueries"]!.AsArray()
            .Single(t => ((string)t!["title"]!).StartsWith("Media jobs", StringComparison.Ordinal))!["query"]!;
        Assert.Contains("where name in ('coexistence.media.jobs', 'coexistence.media.jobs.queued')", tile);
        Assert.Contains("tostring(customDimensions['coexistence.outcome'])", tile);

        // Both media rules are listed with the other alerts.
        var names = (string)Alerts.Template["outputs"]!["alertNames"]!["value"]!;
        Assert.Contains("alert-media-failed-{0}", names);
        Assert.Contains("alert-media-throttled-{0}", names);
    }

    [Fact]
    public void Dead_lettered_messages_in_any_Service_Bus_queue_raise_an_alert()
    {
        var alert = MetricAlerts.Single(a => ((string)a["name"]!).StartsWith("[format('alert-deadletters-", StringComparison.Ordinal));
        var criterion = alert["properties"]!["criteria"]!["allOf"]![0]!;
        Assert.Equal("DeadletteredMessages", (string?)criterion["metricName"]);
        Assert.Equal("Microsoft.ServiceBus/namespaces", (string?)criterion["metricNamespace"]);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int)criterion["threshold"]!);
        Assert.Equal("EntityName", (string?)criterion["dimensions"]![0]!["name"]);
        Assert.Contains("Microsoft.ServiceBus/namespaces", alert["properties"]!["scopes"]!.ToJsonString());
    }

    [Fact]
    public void Every_Service_Bus_queue_has_a_backlog_alert_that_fires_when_it_does_not_drain_for_an_hour()
    {
        // Issue 18, finding 10: a consumer that cannot start processes nothing, so only the broker's count shows it.
        Assert.Equal(StorageNames.Default.Queues, Alerts.StringArrayVariable("queueNames"));
        Assert.Equal(Main.ModuleNamed("servicebus").StringArrayVariable("queueNames"), Alerts.StringArrayVariable("queueNames"));

        var backlog = MetricAlerts.Single(a => ((string)a["name"]!).StartsWith("[format('alert-backlog-", StringComparison.Ordinal));
        Assert.Equal("[length(variables('queueNames'))]", (string?)backlog["copy"]!["count"]);
        var properties = backlog["properties"]!;
        Assert.Contains("Microsoft.ServiceBus/namespaces", properties["scopes"]!.ToJsonString());
        Assert.Equal("PT1H", (string?)properties["windowSize"]);
        Assert.True((bool)properties["autoMitigate"]!);
        Assert.Contains("docs/operations.md#queue-backlog", (string)properties["description"]!);

        var criterion = properties["criteria"]!["allOf"]!.AsArray().Single()!;
        Assert.Equal("ActiveMessages", (string?)criterion["metricName"]);
        Assert.Equal("Microsoft.ServiceBus/namespaces", (string?)criterion["metricNamespace"]);
        // The lowest count of the hour: a burst that drains does not fire, a queue that never got below it does.
        Assert.Equal("Minimum", (string?)criterion["timeAggregation"]);
        Assert.Equal("GreaterThanOrEqual", (string?)criterion["operator"]);
        Assert.Equal("[parameters('backlogAlertThreshold')]", (string?)criterion["threshold"]);
        var dimension = criterion["dimensions"]!.AsArray().Single()!;
        Assert.Equal("EntityName", (string?)dimension["name"]);
        Assert.Equal("[variables('queueNames')[copyIndex()]]", (string?)dimension["values"]![0]);
        Assert.Equal(100, (int)Main.DefaultOf("backlogAlertThreshold")!);
    }

    [Fact]
    public void A_stalled_history_sync_fires_once_per_number_and_stays_fired_until_an_operator_closes_it()
    {
        var rule = QueryRule("History sync stalled")["properties"]!;
        // Stateless: never resolved by Azure Monitor, so not two days after the last chunk while still stalled.
        Assert.False((bool)rule["autoMitigate"]!);
        // The longest a log alert may read back; the query filters nothing shorter itself.
        Assert.Equal("P2D", (string?)rule["overrideQueryTimeRange"]);
        var frequency = (string)rule["evaluationFrequency"]!;
        Assert.Equal(frequency, (string?)rule["windowSize"]);
        Assert.Equal("[format('PT{0}M', variables('stalledEvaluationMinutes'))]", frequency);

        var criterion = rule["criteria"]!["allOf"]![0]!;
        Assert.Equal("phoneNumberId", (string?)criterion["dimensions"]![0]!["name"]);
        // The crossing must fall into the last evaluation period: once per number, not every hour while stalled.
        Assert.Equal("[format(variables('stalledQuery'), parameters('historyStallMinutes'), variables('stalledEvaluationMinutes'))]", (string?)criterion["query"]);
        var query = Alerts.StringVariable("stalledQuery");
        Assert.Contains("arg_max(timestamp, value) by phoneNumberId", query);
        Assert.Contains("where value < 100", query);
        Assert.Contains("stalledAt = timestamp + {0}m", query);
        Assert.Contains("stalledAt <= now() and stalledAt > ago({1}m)", query);
        Assert.DoesNotContain("ago(7d)", query);

        // The stall plus one evaluation period must fit in the two days the rule reads.
        var longest = (int)Main.Parameters["historyStallMinutes"]!["maxValue"]!;
        Assert.True(longest + (int)Alerts.Variables["stalledEvaluationMinutes"]! <= 2 * 24 * 60, $"historyStallMinutes may be {longest}");
        Assert.Equal(longest, (int)Alerts.Template["parameters"]!["historyStallMinutes"]!["maxValue"]!);
    }

    [Fact]
    public void No_query_names_a_column_kind_which_log_alerts_refuse_unbracketed()
    {
        // scripts/kql/check.cjs proves it with the Kusto parser (KqlCheckTests); this keeps the dimension names in step.
        Assert.DoesNotMatch(@"(?<![\w'\[.])kind\s*=", AllQueries);
        foreach (var rule in QueryRules)
            foreach (var dimension in rule["properties"]!["criteria"]!["allOf"]![0]!["dimensions"]?.AsArray() ?? [])
                Assert.NotEqual("kind", (string?)dimension!["name"]);
        Assert.Contains("changeKind", Alerts.StringVariable("rejectedQuery"));
        Assert.Contains("changeKind", Alerts.StringVariable("latencyQuery"));
    }

    [Fact]
    public void Door_5xx_stalled_history_latency_rejections_and_disconnected_numbers_have_log_alerts()
    {
        var rules = QueryRules.ToList();
        Assert.Equal(7, rules.Count);
        var queries = rules.Select(r => Alerts.InlineStringVariables((string)r["properties"]!["criteria"]!["allOf"]![0]!["query"]!)).ToList();
        Assert.Contains(queries, q => q.Contains("requests") && q.Contains($"'{nameof(Coexistence.Functions.ReceiveWebhook)}'") && q.Contains(">= 500"));
        Assert.Contains(queries, q => q.Contains("coexistence.history.progress") && q.Contains("value < 100"));
        Assert.Contains(queries, q => q.Contains("coexistence.fanout.latency"));
        Assert.Contains(queries, q => q.Contains("coexistence.lifecycle.events"));
        Assert.Contains(queries, q => q.Contains("coexistence.changes.processed") && q.Contains("rejected"));
        Assert.Equal(2, queries.Count(q => q.Contains("'coexistence.media.jobs'")));
        Assert.All(rules, r => Assert.Contains("docs/operations.md#", (string)r["properties"]!["description"]!));
    }

    [Fact]
    public void Thresholds_are_parameters_of_the_deployment()
    {
        Assert.Equal(360, (int)Main.DefaultOf("historyStallMinutes")!);
        Assert.Equal(300, (int)Main.DefaultOf("fanOutLatencyThresholdSeconds")!);
        Assert.Equal(5, (int)Main.DefaultOf("door5xxPercentThreshold")!);
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
        var tiles = Alerts.Variables["workbookQueries"]!.AsArray();
        Assert.True(tiles.Count >= 6);
        // Each tile's time range is its own: the history tile looks back 30 days, not the default day.
        Assert.All(tiles, t => Assert.True((int)t!["days"]! >= 1));
        Assert.Equal(30, (int)tiles.Single(t => ((string)t!["title"]!).StartsWith("History sync progress", StringComparison.Ordinal))!["days"]!);
        var item = Alerts.Template["variables"]!["copy"]!.AsArray().Single(c => (string?)c!["name"] == "workbookItems")!["input"]!;
        Assert.Equal("[mul(variables('workbookQueries')[copyIndex('workbookItems')].days, 86400000)]", (string?)item["content"]!["timeContext"]!["durationMs"]);
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
            Assert.Contains(tag, new[] { CoexistenceTelemetry.OutcomeTag, CoexistenceTelemetry.ReasonTag, CoexistenceTelemetry.KindTag, CoexistenceTelemetry.PhoneNumberIdTag,
                CoexistenceTelemetry.LifecycleEventTag });
        // The media alerts filter on outcomes by name: names the archiver gives its outcomes.
        Assert.Contains("coexistence.media.jobs", read);
        var outcomes = Enum.GetValues<Coexistence.Media.MediaOutcome>().Select(Coexistence.Media.MediaArchiver.OutcomeName).ToList();
        foreach (var outcome in new[] { "failed", "throttled" })
        {
            Assert.Contains($"'{outcome}'", AllQueries);
            Assert.Contains(outcome, outcomes);
        }
    }

    [GeneratedRegex(@"'(coexistence\.(?:webhooks|changes\.[a-z]+|messages\.written|contacts\.written|facts\.received|items\.quarantined|history\.[a-z]+|fanout\.latency|claim_checks?(?:\.size)?|media\.jobs(?:\.queued)?))'")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"customDimensions\['([a-z_.]+)'\]")]
    private static partial Regex TagName();
}
