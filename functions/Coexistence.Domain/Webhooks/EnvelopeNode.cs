using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Coexistence.Webhooks;

/// <summary>
/// One value of a webhook envelope as <see cref="EnvelopeSkeleton"/> recorded it: its kind and its exact bytes in
/// the body. The envelope's objects (root, <c>data</c>, <c>entry[i]</c>, <c>changes[j]</c>, <c>value</c>,
/// <c>metadata</c>) keep their members named in <see cref="Names"/>; <c>entry</c> and <c>changes</c> keep their
/// items. Anything deeper is only a kind and a byte range. The readers mirror <see cref="JsonValues"/>'s, so the
/// envelope rules read the same on a node as they did on a <see cref="JsonElement"/>. A handle into the skeleton;
/// <c>default</c> is a value that is not there (<see cref="Exists"/> is false).
/// </summary>
internal readonly struct EnvelopeNode
{
    /// <summary>
    /// The member names the envelope rules ask for; members with other names are validated but not kept.
    /// Asking a node for a name not listed here is a bug (it would always read as absent).
    /// </summary>
    public static readonly string[] Names =
    [
        "id", "event", "data", "object", "entry", "changes", "field", "value", "metadata", "phone_number_id", "display_phone_number", "time",
        .. Enum.GetValues<WebhookKind>().SelectMany(k => k.ItemArrays()).Distinct(),
    ];

    private readonly EnvelopeSkeleton? skeleton;
    private readonly int index;

    public EnvelopeNode(EnvelopeSkeleton skeleton, int index) => (this.skeleton, this.index) = (skeleton, index);

    public bool Exists => skeleton is not null;

    private ref readonly EnvelopeSkeleton.Node Node => ref skeleton!.Nodes[index];

    public JsonValueKind Kind => Node.Kind;

    /// <summary>The value's bytes, a slice of the body (not a copy); a string with its quotes.</summary>
    public ReadOnlyMemory<byte> Raw => skeleton!.Body.Slice(Node.Start, Node.Length);

    /// <summary>The first kept member or item; the others follow through <see cref="Next"/>, in the body's order.</summary>
    public EnvelopeNode FirstChild => At(Node.FirstChild);

    public EnvelopeNode Next => At(Node.Next);

    // Index 0 is the root, which is nobody's child or sibling: it stands for "none".
    private EnvelopeNode At(int i) => i == 0 ? default : new EnvelopeNode(skeleton!, i);

    public EnvelopeNode Member(string name)
    {
        Debug.Assert(Names.Contains(name), $"\"{name}\" is not kept by EnvelopeSkeleton");
        for (var child = FirstChild; child.Exists; child = child.Next)
            if (child.Node.Name == name) return child;
        return default;
    }

    /// <summary>As <see cref="JsonValues.Has"/>: present and not null.</summary>
    public bool Has(string name) => Member(name) is { Exists: true, Kind: not JsonValueKind.Null };

    /// <summary>As <see cref="JsonValues.TryGetProperty(JsonElement, string, JsonValueKind, out JsonElement)"/>.</summary>
    public bool TryGetProperty(string name, JsonValueKind kind, out EnvelopeNode value)
    {
        value = Member(name);
        if (value.Exists && value.Kind == kind) return true;
        value = default;
        return false;
    }

    /// <summary>As <see cref="JsonValues.GetStringOrNumber"/>: a string, or a number's text as written.</summary>
    public string? GetStringOrNumber(string name)
    {
        var value = Member(name);
        if (!value.Exists) return null;
        return value.Kind switch
        {
            JsonValueKind.String => value.ReadString(),
            JsonValueKind.Number => Encoding.UTF8.GetString(value.Raw.Span),
            _ => null,
        };
    }

    /// <summary>As <see cref="JsonValues.ReadString(JsonElement)"/>: well-formed text, lone surrogates as U+FFFD.</summary>
    public string ReadString() => JsonValues.ReadString(Raw.Span);
}
