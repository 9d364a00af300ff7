using Coexistence.Tests.Support;

namespace Coexistence.Tests.Webhooks;

/// <summary>The quick start's samples/: all accepted, and at parser level they add up to what samples/README.md promises.</summary>
public class SamplesTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<(string File, WebhookChange Change)> AllChanges()
    {
        var files = Directory.GetFiles(Fixtures.SamplesDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var result = new List<(string, WebhookChange)>();
        foreach (var file in files)
        {
            var reading = WebhookEnvelopeReader.Read(File.ReadAllBytes(Path.Combine(Fixtures.SamplesDirectory, file!)));
            Assert.True(reading.IsAccepted, $"{file}: {reading.Problem}");
            result.AddRange(reading.Changes.Select(c => (file!, c)));
        }
        return result;
    }

    [Fact]
    public void Sixteen_samples_for_one_business_in_arrival_order()
    {
        var files = Directory.GetFiles(Fixtures.SamplesDirectory, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(16, files.Count);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => i.ToString("D2")), files.Select(f => f![..2]));

        var changes = AllChanges();
        Assert.Equal(20, changes.Count);
        Assert.All(changes, c => Assert.Equal(Corpus.PhoneNumberId, c.Change.PhoneNumberId));
        Assert.All(changes, c => Assert.NotNull(c.Change.Kind));
        Assert.Equal(4, changes.Count(c => c.Change.Kind == WebhookKind.Messages));
    }

    [Fact]
    public void Samples_add_up_to_the_readme()
    {
        var messages = new List<ChatMessage>();
        var facts = new List<MessageFact>();
        var chunks = new List<HistoryChunk>();
        var contacts = new List<ContactAction>();
        var statuses = new List<MessageStatus>();
        var quarantined = 0;
        foreach (var (_, change) in AllChanges())
        {
            switch (change.Kind)
            {
                case WebhookKind.History:
                    var history = HistoryPayloadParser.Parse(Corpus.Value(change), change.DisplayPhoneNumber!, "s");
                    messages.AddRange(history.Chunks.SelectMany(c => c.Messages));
                    chunks.AddRange(history.Chunks.Select(c => c.Chunk));
                    facts.AddRange(history.MediaFollowUps);
                    quarantined += history.Quarantined.Count + history.Declines.Count;
                    break;
                case WebhookKind.MessageEchoes:
                    var echoes = MessageEchoesPayloadParser.Parse(Corpus.Value(change));
                    messages.AddRange(echoes.Messages);
                    facts.AddRange(echoes.Facts);
                    quarantined += echoes.Quarantined.Count;
                    break;
                case WebhookKind.Messages:
                    var ordinary = MessagesPayloadParser.Parse(Corpus.Value(change), change.DisplayPhoneNumber!);
                    messages.AddRange(ordinary.Messages);
                    facts.AddRange(ordinary.Facts);
                    statuses.AddRange(ordinary.Statuses);
                    quarantined += ordinary.Quarantined.Count;
                    break;
                case WebhookKind.ContactSync:
                    var sync = ContactSyncPayloadParser.Parse(Corpus.Value(change), Now);
                    contacts.AddRange(sync.Actions);
                    quarantined += sync.Quarantined.Count;
                    break;
            }
        }

        Assert.Equal(0, quarantined);
        Assert.Equal(4, chunks.Count);
        Assert.Equal(100, chunks.Max(c => c.Progress));
        Assert.Equal(20, messages.Select(m => m.Id).Distinct().Count());
        Assert.Equal(
            [(Corpus.Oliver, 7, 1718013100L), (Corpus.MariaUserId, 2, 1718012300L), (Corpus.Alice, 8, 1718010100L), (Corpus.Lena, 3, 1718010000L)],
            messages.GroupBy(m => m.ChatId).Select(g => (g.Key, g.Count(), g.Max(m => m.Timestamp))).OrderByDescending(c => c.Item3));

        Assert.Equal(4, facts.Count);
        // The business's 👍 is on Oliver's question, and its answer quotes it.
        var question = messages.Single(m => m.Text == "Thanks, got it! Can I pick it up tomorrow?");
        Assert.Contains(facts, f => f is MessageReaction { Emoji: "👍", Side: Direction.Outbound } r && r.MessageId == question.Id);
        Assert.Equal(question.Id, messages.Single(m => m.Context?.ReplyToId is not null).Context!.ReplyToId);
        Assert.Equal("location", messages.Single(m => m.ChatId == Corpus.Oliver && m.Timestamp == 1718012900).Type);
        Assert.Contains(facts, f => f is MediaFollowUp { Type: "image" } m && messages.Any(x => x.Id == m.MessageId && x.Type == "media_placeholder"));
        Assert.Contains(facts, f => f is MessageEdit { Text: "Thanks Alice, see you Sunday!" } e && messages.Any(x => x.Id == e.MessageId));
        Assert.Contains(facts, f => f is MessageRevoke r && messages.Any(x => x.Id == r.MessageId && x.Type == "image"));
        // Each status is of an echo the samples hold: Lena's is delivered, Alice's parcel read.
        Assert.Equal([("delivered", Corpus.Lena), ("read", Corpus.Alice)],
            statuses.Select(s => (s.Status, messages.Single(m => m.Id == s.MessageId && m.Direction == Direction.Outbound).ChatId)).Order());

        var winners = contacts.GroupBy(a => a.PhoneNumber)
            .Select(g => g.Aggregate((best, next) => ContactAction.Compare(next, best) > 0 ? next : best))
            .Where(a => !a.IsRemove).OrderBy(a => a.PhoneNumber, StringComparer.Ordinal)
            .Select(a => (a.PhoneNumber, a.FullName, a.FirstName));
        Assert.Equal([(Corpus.Alice, "Alice Johnson", "Alice"), (Corpus.Oliver, "Oliver Smith-Jones", "Ollie")], winners);
    }
}
