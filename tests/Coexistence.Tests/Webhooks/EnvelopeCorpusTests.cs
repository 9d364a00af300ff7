using System.Text;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Webhooks;

/// <summary>Every fixture in the corpus through <see cref="WebhookEnvelopeReader"/>: good ones accepted as described, malformed ones refused with the right problem.</summary>
public class EnvelopeCorpusTests
{
    private const string P = Corpus.PhoneNumberId;
    private const string P2 = Corpus.SecondPhoneNumberId;
    private const string D = Corpus.BusinessNumber;
    private const string D2 = Corpus.SecondBusinessNumber;
    private const WebhookKind H = WebhookKind.History;
    private const WebhookKind C = WebhookKind.ContactSync;
    private const WebhookKind E = WebhookKind.MessageEchoes;
    private const WebhookKind M = WebhookKind.Messages;

    /// <summary>One expected change: field, kind, phone_number_id, display digits, pointer.</summary>
    public sealed record Expected(string Field, WebhookKind? Kind, string? PhoneNumberId, string? Display, string Pointer);

    private static Expected Partner(string field, WebhookKind kind) => new(field, kind, P, D, "/data");
    private static Expected Meta(string field, WebhookKind kind, int entry = 0, int change = 0) =>
        new(field, kind, P, D, $"/entry/{entry}/changes/{change}/value");

    /// <summary>File name, expected event id (partner envelope only), expected changes in order.</summary>
    public static readonly Dictionary<string, (string? EventId, Expected[] Changes)> Good = new()
    {
        ["partner-history-phase0-chunk1.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b01", [Partner("history", H)]),
        ["partner-history-phase1-chunk2.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b02", [Partner("history", H)]),
        ["partner-history-phase1-chunk3-strings.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b03", [Partner("history", H)]),
        ["partner-history-phase2-chunk4-final.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b04", [Partner("history", H)]),
        ["partner-history-with-bad-items.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b06", [Partner("history", H)]),
        ["partner-history-media-followup.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b10", [Partner("history", H)]),
        ["partner-history-declined.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b99", [Partner("history", H)]),
        ["meta-history-phase1-chunk5.json"] = (null, [Meta("history", H)]),
        ["meta-history-media-followup.json"] = (null, [Meta("history", H)]),
        ["meta-history-declined.json"] = (null, [Meta("history", H)]),
        ["meta-history-media-followup-echoes.json"] = (null, [Meta("history", H)]),
        ["partner-history-declined-value-errors.json"] = ("5d1c7a0e-6f3b-4b8e-9a41-0c2f7e8d9b98", [Partner("history", H)]),
        ["partner-contacts-initial-dump.json"] = ("DM3", [Partner("smb_app_state_sync", C)]),
        ["partner-contacts-edit.json"] = ("DM4", [Partner("smb_app_state_sync", C)]),
        ["partner-contacts-remove-zero-timestamp.json"] = ("DM5", [Partner("smb_app_state_sync", C)]),
        ["partner-contacts-remove.json"] = ("DM6", [Partner("smb_app_state_sync", C)]),
        ["partner-contacts-stale-add.json"] = ("DM7", [Partner("smb_app_state_sync", C)]),
        ["partner-contacts-with-bad-items.json"] = ("DM8", [Partner("smb_app_state_sync", C)]),
        ["meta-contacts-state-sync.json"] = (null, [Meta("smb_app_state_sync", C)]),
        ["meta-echo-text.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-image.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-location.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-reaction-and-reply.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-edit.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-edit-caption.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-revoke.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echoes-with-bad-items.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["partner-echo-text.json"] = ("9b6e3f4a-echo-0001", [Partner("smb_message_echoes", E)]),
        ["meta-messages-text.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-bsuid-only.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-bad-bsuid.json"] = (null, [Meta("messages", M)]),
        ["meta-statuses-bsuid-recipient.json"] = (null, [Meta("messages", M)]),
        ["meta-echo-bsuid-only.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["meta-echo-phone-and-bsuid.json"] = (null, [Meta("smb_message_echoes", E)]),
        ["partner-history-bsuid-thread.json"] = ("7c0f8e12-bsuid-0001", [Partner("history", H)]),
        ["partner-contacts-bsuid.json"] = ("DM-bsuid-1", [Partner("smb_app_state_sync", C)]),
        ["meta-messages-customer-edit.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-customer-revoke.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-location-and-reaction.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-system-user-changed-number.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-system-user-changed-number-2026.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-system-user-changed-user-id.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-system-bad-changes.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-every-type.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-bad-content.json"] = (null, [Meta("messages", M)]),
        ["meta-messages-with-bad-items.json"] = (null, [Meta("messages", M)]),
        ["meta-statuses-out-of-order.json"] = (null, [Meta("messages", M)]),
        ["meta-statuses-failed-api-message.json"] = (null, [Meta("messages", M)]),
        ["meta-batch-two-numbers.json"] = (null,
        [
            new("smb_message_echoes", E, P, D, "/entry/0/changes/0/value"),
            new("smb_app_state_sync", C, P, D, "/entry/0/changes/1/value"),
            new("messages", M, P, D, "/entry/0/changes/2/value"),
            new("history", H, P2, D2, "/entry/1/changes/0/value"),
            new("smb_message_echoes", E, P2, D2, "/entry/1/changes/1/value"),
            new("messages", M, P2, D2, "/entry/1/changes/2/value"),
            // Routed by its WABA (the entry's id): no number, the consumer attributes it.
            new("account_update", WebhookKind.AccountUpdate, null, null, "/entry/1/changes/3/value"),
        ]),
    };

    /// <summary>File under malformed/, expected problem code, expected pointer (null: the body as a whole).</summary>
    public static readonly Dictionary<string, (string Code, string? Pointer)> Malformed = new()
    {
        ["not-json.json"] = (WebhookProblems.MalformedJson, null),
        ["trailing-comma.json"] = (WebhookProblems.MalformedJson, null),
        ["duplicate-keys.json"] = (WebhookProblems.MalformedJson, null),
        ["nesting-too-deep.json"] = (WebhookProblems.MalformedJson, null),
        ["empty.json"] = (WebhookProblems.EmptyBody, null),
        ["whitespace-only.json"] = (WebhookProblems.EmptyBody, null),
        ["json-array.json"] = (WebhookProblems.UnrecognisedEnvelope, ""),
        ["json-string.json"] = (WebhookProblems.UnrecognisedEnvelope, ""),
        ["neither-envelope.json"] = (WebhookProblems.UnrecognisedEnvelope, ""),
        ["missing-phone-number-id.json"] = (WebhookProblems.MissingField, "/data/metadata/phone_number_id"),
        ["phone-number-id-path-traversal.json"] = (WebhookProblems.InvalidField, "/data/metadata/phone_number_id"),
        ["phone-number-id-hash.json"] = (WebhookProblems.InvalidField, "/entry/0/changes/0/value/metadata/phone_number_id"),
        ["phone-number-id-query.json"] = (WebhookProblems.InvalidField, "/entry/0/changes/1/value/metadata/phone_number_id"),
        ["phone-number-id-control-char.json"] = (WebhookProblems.InvalidField, "/data/metadata/phone_number_id"),
        ["phone-number-id-40-digits.json"] = (WebhookProblems.InvalidField, "/entry/1/changes/0/value/metadata/phone_number_id"),
        ["unhandled-change-bad-phone-number-id.json"] = (WebhookProblems.InvalidField, "/entry/0/changes/0/value/metadata/phone_number_id"),
        ["display-phone-number-invalid.json"] = (WebhookProblems.InvalidField, "/data/metadata/display_phone_number"),
        ["missing-metadata.json"] = (WebhookProblems.MissingField, "/data/metadata"),
        ["history-without-items.json"] = (WebhookProblems.MissingField, "/data/history"),
        ["history-items-not-array.json"] = (WebhookProblems.InvalidField, "/entry/0/changes/0/value/history"),
        ["echoes-without-items.json"] = (WebhookProblems.MissingField, "/entry/0/changes/0/value/message_echoes"),
        ["entry-not-array.json"] = (WebhookProblems.InvalidField, "/entry"),
        ["entry-empty.json"] = (WebhookProblems.InvalidField, "/entry"),
        ["change-without-field.json"] = (WebhookProblems.MissingField, "/entry/0/changes/0/field"),
        ["change-without-value.json"] = (WebhookProblems.MissingField, "/entry/0/changes/0/value"),
        ["wrong-object.json"] = (WebhookProblems.InvalidField, "/object"),
        ["partner-missing-event.json"] = (WebhookProblems.MissingField, "/event"),
        ["partner-data-not-object.json"] = (WebhookProblems.InvalidField, "/data"),
    };

    public static TheoryData<string> GoodFiles => new(Good.Keys);
    public static TheoryData<string> MalformedFiles => new(Malformed.Keys);

    [Theory]
    [MemberData(nameof(GoodFiles))]
    public void Good_fixture_is_accepted_with_the_expected_changes(string file)
    {
        var (eventId, expected) = Good[file];
        var reading = WebhookEnvelopeReader.Read(Fixtures.Bytes(file));

        Assert.True(reading.IsAccepted, $"{file}: {reading.Problem}");
        Assert.Null(reading.Problem);
        Assert.Equal(expected.Length, reading.Changes.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var change = reading.Changes[i];
            Assert.Equal(i, change.Index);
            Assert.Equal(expected[i].Field, change.Field);
            Assert.Equal(expected[i].Kind, change.Kind);
            Assert.Equal(expected[i].PhoneNumberId, change.PhoneNumberId);
            Assert.Equal(expected[i].Display, change.DisplayPhoneNumber);
            Assert.Equal(expected[i].Pointer, change.Pointer);
            Assert.Equal(Corpus.WabaId, change.WabaId);
            Assert.Equal(eventId, change.EventId);
            Assert.False(change.Value.IsEmpty);
            Assert.Equal((byte)'{', change.Value.Span[0]);
            Assert.Equal((byte)'}', change.Value.Span[^1]);
        }
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_fixture_is_rejected_with_the_expected_problem(string file)
    {
        var (code, pointer) = Malformed[file];
        var reading = WebhookEnvelopeReader.Read(Fixtures.Bytes(Path.Combine("malformed", file)));

        Assert.False(reading.IsAccepted, $"{file} was accepted");
        Assert.Empty(reading.Changes);
        var problem = Assert.IsType<Problem>(reading.Problem);
        Assert.Equal(code, problem.Code);
        Assert.Equal(pointer, problem.Pointer);
        Assert.Equal(400, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        if (pointer is { Length: > 0 }) Assert.Contains(pointer, problem.Detail);
    }

    [Fact]
    public void Every_fixture_file_has_an_expectation_and_every_expectation_a_file()
    {
        var good = Directory.GetFiles(Fixtures.Directory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var malformed = Directory.GetFiles(Path.Combine(Fixtures.Directory, "malformed"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Good.Keys.Order(StringComparer.Ordinal), good);
        Assert.Equal(Malformed.Keys.Order(StringComparer.Ordinal), malformed);
    }

    [Fact]
    public void Fixture_readme_describes_every_file()
    {
        var readme = File.ReadAllText(Path.Combine(Corpus.SourceFixturesDirectory(), "README.md"));
        foreach (var file in Good.Keys.Concat(Malformed.Keys))
            Assert.Contains(file, readme);
    }

    [Fact]
    public void Good_fixtures_use_one_business_and_realistic_wamids()
    {
        foreach (var file in Good.Keys)
        {
            var text = Encoding.UTF8.GetString(Fixtures.Bytes(file));
            Assert.Contains(Corpus.PhoneNumberId, text);
        }
        // The corpus exercises key encoding: wamids with '/', '+' and '='.
        Assert.Contains(Corpus.A1, Fixtures.Text("partner-history-phase0-chunk1.json"));
        Assert.Contains('/', Corpus.A1);
        Assert.Contains('+', Corpus.A1);
        Assert.EndsWith("=", Corpus.A1);
    }
}
