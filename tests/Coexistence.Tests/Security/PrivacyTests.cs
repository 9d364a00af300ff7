using System.Text.Json;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Security;

/// <summary>Logs carry ids, kinds and counts; never message text, names or customers' full numbers.</summary>
public class PrivacyTests
{
    private static readonly HashSet<string> TextKeys = ["body", "caption", "full_name", "first_name"];
    private static readonly HashSet<string> NumberKeys = ["from", "to", "phone_number", "wa_id"];

    [Fact]
    public async Task Ingesting_the_fixture_corpus_logs_no_message_text_and_no_full_customer_number()
    {
        var logs = new CapturedLogs();
        var door = await DoorHarness.CreateAsync(loggers: logs);
        var files = Directory.GetFiles(Fixtures.Directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var body = await File.ReadAllBytesAsync(file);
            CollectPersonalData(body, secrets);
            await door.PostAsync(body);
        }
        var results = await door.Pipeline.Drainer.DrainAsync(default);

        Assert.NotEmpty(results);
        Assert.True(secrets.Count >= 10, $"the corpus should carry personal data to look for; found {secrets.Count}");
        Assert.NotEmpty(logs.Lines);
        var text = logs.AllText;
        var leaked = secrets.Where(s => text.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, "personal data in logs: " + string.Join(", ", leaked.Select(s => s.Length > 4 ? s[..2] + "…" : s)));
    }

    [Fact]
    public async Task A_sender_chosen_field_is_logged_only_when_it_is_a_known_one()
    {
        // Issue 17, finding 7: the field (up to 256 characters of the sender's choosing) was logged verbatim.
        var logs = new CapturedLogs();
        var door = await DoorHarness.CreateAsync(loggers: logs);
        const string invented = "ignore_previous_instructions_and_page_the_on_call_engineer";
        Assert.Equal(202, (await door.PostAsync(WebhookBuilder.Meta(invented, "\"anything\":1"))).Status);
        Assert.Equal(202, (await door.PostAsync(WebhookBuilder.Meta("account_update", "\"event\":\"PARTNER_REMOVED\""))).Status);

        Assert.DoesNotContain(invented, logs.AllText);
        Assert.Contains("accepted: 1 change(s) (other)", logs.AllText);
        Assert.Contains("accepted: 1 change(s) (account_update)", logs.AllText);
    }

    /// <summary>Message texts, captions, names, and customers' numbers (digits, as they would be stored) in a webhook body.</summary>
    private static void CollectPersonalData(byte[] body, HashSet<string> found)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(body); }
        catch (JsonException) { return; }
        using (document)
        {
            var businessNumbers = new HashSet<string>();
            Walk(document.RootElement, null, (key, value) =>
            {
                if (key is "display_phone_number" or "phone_number_id" && PhoneNumbers.TryNormalize(value, out var business)) businessNumbers.Add(business);
            });
            Walk(document.RootElement, null, (key, value) =>
            {
                if (TextKeys.Contains(key) && value.Length >= 4) found.Add(value);
                if ((NumberKeys.Contains(key) || key == "thread_id") && PhoneNumbers.TryNormalize(value, out var digits) && digits.Length >= 7 && !businessNumbers.Contains(digits))
                    found.Add(digits);
            });
        }
    }

    private static void Walk(JsonElement element, string? key, Action<string, string> visit)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    // A thread's id is the customer's number.
                    if (p.Name == "threads" && p.Value.ValueKind == JsonValueKind.Array)
                        foreach (var thread in p.Value.EnumerateArray())
                            if (thread.ValueKind == JsonValueKind.Object && thread.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                                visit("thread_id", id.GetString()!);
                    Walk(p.Value, p.Name, visit);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, key, visit);
                break;
            case JsonValueKind.String when key is not null:
                visit(key, element.GetString()!);
                break;
        }
    }
}
