using System.Reflection;
using NetArchTest.Rules;

namespace Coexistence.Tests.Architecture;

/// <summary>
/// The domain's namespaces form layers that point one way (docs/architecture.md): a namespace uses only namespaces of
/// lower layers, never one of its own layer or above. Checked on the compiled assembly with NetArchTest, which reads
/// the IL through Mono.Cecil: a type named only inside a method body (a <c>new</c>, a static call, a <c>typeof</c>)
/// counts as much as one in a signature, which reflection over signatures alone would miss.
/// </summary>
public class LayerTests
{
    private static readonly Assembly Domain = typeof(CoexistenceServiceCollectionExtensions).Assembly;

    /// <summary>The layers, lowest first.</summary>
    internal static readonly string[][] Layers =
    [
        // Answers and telemetry: the shapes everything else speaks in.
        ["Coexistence.Http", "Coexistence.Telemetry"],
        // What arrives (envelopes, kinds, phone numbers) and what the pipeline knows (messages, facts, contacts, syncs).
        ["Coexistence.Webhooks", "Coexistence.Model"],
        // The contract between the door and the consumers: the change message and its queues.
        ["Coexistence.Changes"],
        // The storage account: clients, names, keys, table helpers.
        ["Coexistence.Storage"],
        // Shared by the door and the consumers, owned by neither: the raw archive, and each table's layout and writers.
        ["Coexistence.Archive", "Coexistence.Tables"],
        // The media archive: downloads from the providers into the media container, named on the message rows.
        ["Coexistence.Media"],
        // The three kinds of work: receiving webhooks, processing changes, reading what is stored.
        ["Coexistence.Intake", "Coexistence.Processing", "Coexistence.Queries"],
        // The transports: senders, the Storage-queue consumer and drainer.
        ["Coexistence.Queueing"],
        // What operators run: reports, poison and dead-letter re-drive, re-ingestion.
        ["Coexistence.Operations"],
        // The one wiring.
        ["Coexistence"],
    ];

    /// <summary>Every namespace below the top layer (the top one has nothing above it to avoid).</summary>
    public static TheoryData<string> Namespaces => new(Layers.SkipLast(1).SelectMany(l => l));

    [Fact]
    public void Every_namespace_of_the_domain_is_in_exactly_one_layer()
    {
        var actual = Domain.GetTypes().Select(t => t.Namespace).OfType<string>().Where(n => !n.StartsWith("System", StringComparison.Ordinal)).Distinct();
        Assert.Equal(actual.Order(StringComparer.Ordinal), Layers.SelectMany(l => l).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void A_namespace_uses_no_namespace_of_its_own_layer_or_above(string name)
    {
        var layer = Array.FindIndex(Layers, l => l.Contains(name));
        var forbidden = Layers.Skip(layer).SelectMany(l => l).Where(n => n != name).SelectMany(AsDependencies).ToArray();

        var result = Types.InAssembly(Domain).That().ResideInNamespace(name).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();

        Assert.NotEmpty(result.SelectedTypesForTesting);
        Assert.True(result.IsSuccessful, $"{name} depends on a namespace of its own layer or above:\n" +
            string.Join("\n", (result.FailingTypes ?? []).Select(t => $"  {t.FullName}: {t.Explanation}")));
    }

    /// <summary>
    /// What to forbid for a namespace: the namespace itself, except the root, whose name starts every other one:
    /// its types, by full name.
    /// </summary>
    private static IEnumerable<string> AsDependencies(string name) =>
        name == "Coexistence"
            ? Domain.GetTypes().Where(t => t.Namespace == name && !t.Name.StartsWith('<')).Select(t => t.FullName!)
            : [name];
}
