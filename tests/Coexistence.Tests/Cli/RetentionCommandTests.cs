using Azure.Data.Tables;
using Coexistence.Tests.Support;
using static Coexistence.Tests.Retention.RetentionData;

namespace Coexistence.Tests.Cli;

/// <summary><c>coexistence retention apply|set|show</c> against Azurite, as docs/cli.md describes them.</summary>
public class RetentionCommandTests
{
    /// <summary>The settings the CLI takes from its environment, as the Function App's app settings name them.</summary>
    private static readonly Dictionary<string, string> Settings = new() { ["Retention__TableDays"] = "30", ["Retention__ArchiveDays"] = "100" };

    private static Task<CliRun> RunAsync(StorageClients storage, params string[] args) =>
        CliRun.RunAsync(storage.Names, args, time: new FixedTime(Now), environment: Settings);

    /// <summary>A and B seeded with old and young data, B erased.</summary>
    private static async Task<StorageClients> SeededAsync()
    {
        var (pipeline, time) = await PipelineAsync();
        await SeedAsync(pipeline, time, A);
        await SeedAsync(pipeline, time, B);
        await pipeline.Storage.Table(pipeline.Storage.Names.NumbersTable).AddEntityAsync(new TableEntity(B, NumbersTable.NumberErasureRowKey));
        return pipeline.Storage;
    }

    [Fact]
    public async Task Apply_prints_a_line_per_number_and_a_summary_and_its_dry_run_deletes_nothing()
    {
        var storage = await SeededAsync();
        var before = await EverythingOfAsync(storage, A);
        const string numberLine = $"{A}: table 30 days, archive 100 days: messages 2, index 2, facts 1, statuses 2, quarantine 1, chats 2 (emptied 1), blobs 7";
        string[] lines =
        [
            numberLine, $"{B}: skipped (erased)", "unrouted: table 30 days, archive 100 days: quarantine 0, blobs 0",
            "summary: numbers 2, skipped 1, messages 2, index 2, facts 1, statuses 2, quarantine 1, chats 2, blobs 7",
        ];

        var dry = await RunAsync(storage, "retention", "apply", "--dry-run");
        Assert.Equal((0, ""), (dry.ExitCode, dry.Error));
        Assert.Equal(["dry run: nothing deleted; the counts are what would be", .. lines], dry.OutLines);
        Assert.Equal(before, await EverythingOfAsync(storage, A));

        var run = await RunAsync(storage, "retention", "apply");
        Assert.Equal((0, ""), (run.ExitCode, run.Error));
        Assert.Equal(lines, run.OutLines);
        Assert.Single(await MessageKeysAsync(storage, A, "c|"));

        var again = await RunAsync(storage, "retention", "apply", A);
        Assert.Equal([$"{A}: table 30 days, archive 100 days: messages 0, index 0, facts 0, statuses 0, quarantine 0, chats 0 (emptied 0), blobs 0",
            "summary: numbers 1, skipped 0, messages 0, index 0, facts 0, statuses 0, quarantine 0, chats 0, blobs 0"], again.OutLines);
    }

    [Fact]
    public async Task Apply_json_is_the_documented_shape()
    {
        var storage = await SeededAsync();

        var run = await RunAsync(storage, "retention", "apply", A, "--dry-run", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($$"""
            {
              "dryRun": true,
              "at": "2026-11-25T12:00:00Z",
              "numbers": [
                {
                  "phoneNumberId": "{{A}}",
                  "skipped": null,
                  "tableDays": 30,
                  "archiveDays": 100,
                  "messages": 2,
                  "indexRows": 2,
                  "facts": 1,
                  "statuses": 2,
                  "quarantine": 1,
                  "chats": 2,
                  "emptiedChats": 1,
                  "blobs": 7
                }
              ],
              "unrouted": null
            }
            """, run.Out.TrimEnd().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Set_writes_a_numbers_own_days_and_show_prints_them_beside_the_defaults()
    {
        var storage = await SeededAsync();

        var set = await RunAsync(storage, "retention", "set", A, "--table-days", "10", "--archive-days", "none");
        Assert.Equal((0, ""), (set.ExitCode, set.Error));
        Assert.Equal([$"{A}: table 10 days, archive forever"], set.OutLines);
        var back = await RunAsync(storage, "retention", "set", A, "--archive-days", "default");
        Assert.Equal([$"{A}: table 10 days, archive 100 days (default)"], back.OutLines);

        var show = await RunAsync(storage, "retention", "show");
        Assert.Equal((0, ""), (show.ExitCode, show.Error));
        Assert.Equal(["defaults: table 30 days, archive 100 days", "PHONE NUMBER ID  TABLE    ARCHIVE",
            $"{A}  10 days  100 days (default)", $"{B}  erased   erased"], show.OutLines);

        var json = await RunAsync(storage, "retention", "show", A, "--json");
        Assert.Equal($$"""
            {
              "defaults": {
                "tableDays": 30,
                "archiveDays": 100
              },
              "numbers": [
                {
                  "phoneNumberId": "{{A}}",
                  "tableDays": 10,
                  "tableDaysOverride": 10,
                  "archiveDays": 100,
                  "archiveDaysOverride": null,
                  "erased": false
                }
              ]
            }
            """, json.Out.TrimEnd().ReplaceLineEndings("\n"));

        // The sweep follows the number's own days: 10 for its rows.
        var applied = await RunAsync(storage, "retention", "apply", A);
        Assert.StartsWith($"{A}: table 10 days, archive 100 days: messages 2,", applied.OutLines[0]);
    }

    [Fact]
    public async Task Without_settings_the_tables_are_kept_forever_and_the_archive_365_days()
    {
        var storage = await Azurite.NewStorageAsync();
        var run = await CliRun.RunAsync(storage.Names, ["retention", "show"], time: new FixedTime(Now));
        Assert.Equal(["defaults: table forever, archive 365 days", "No numbers stored."], run.OutLines);
    }

    [Theory]
    [InlineData(new[] { "retention", "set", A }, "Give --table-days or --archive-days (or both).")]
    [InlineData(new[] { "retention", "set", A, "--table-days", "-3" }, "--table-days takes a number of days from 0 to 36500, 'none' or 'default', not '-3'.")]
    [InlineData(new[] { "retention", "set", A, "--archive-days", "forever" }, "--archive-days takes a number of days from 0 to 36500")]
    [InlineData(new[] { "retention", "apply", "12ab" }, "Invalid phone_number_id '12ab'")]
    [InlineData(new[] { "retention", "set" }, "Required argument missing")]
    public async Task Usage_errors_exit_2_before_storage_is_touched(string[] args, string message)
    {
        var run = await CliRun.RunAsync(StorageNames.WithPrefix(Azurite.NewPrefix()), args, environmentStorage: CliWebhooks.UnreachableStorage);
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task A_retention_setting_out_of_range_in_the_environment_is_exit_2()
    {
        var storage = await Azurite.NewStorageAsync();
        var run = await CliRun.RunAsync(storage.Names, ["retention", "apply"], environment: new Dictionary<string, string> { ["Retention__TableDays"] = "-1" });
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: Retention:TableDays must be from 0 (keep forever) to 36500.", run.Error);
    }
}
