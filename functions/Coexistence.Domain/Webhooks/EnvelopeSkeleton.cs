using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Coexistence.Webhooks;

/// <summary>
/// The one pass of <see cref="WebhookEnvelopeReader"/> over a body, and what it keeps. A <see cref="Utf8JsonReader"/>
/// reads every token, which validates the whole body exactly as <c>JsonDocument.Parse</c> does (it is the same
/// reader: syntax, depth, comments, trailing commas, content after the root value). On top of it this class makes
/// the check that <c>JsonDocumentOptions.AllowDuplicateProperties = false</c> adds: no object anywhere names a
/// property twice. On the way it keeps the envelope's values (<see cref="EnvelopeNode"/>) and nothing below them.
/// </summary>
internal sealed class EnvelopeSkeleton : IEqualityComparer<EnvelopeSkeleton.NameRange>
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = WebhookEnvelopeReader.MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Up to this many names an object's names are compared one by one; past it, through a hash set.</summary>
    private const int NamesComparedOneByOne = 16;

    private static readonly byte[][] KeptNames = [.. EnvelopeNode.Names.Select(Encoding.UTF8.GetBytes)];

    /// <summary>
    /// Reads the whole body and returns its root. Throws <see cref="JsonException"/> where <c>JsonDocument.Parse</c>
    /// would, with the same message, and the same <see cref="InvalidOperationException"/> for a property name
    /// that cannot be unescaped (a lone surrogate).
    /// </summary>
    public static EnvelopeNode Read(ReadOnlyMemory<byte> body)
    {
        var skeleton = new EnvelopeSkeleton(body);
        try
        {
            skeleton.ReadAll();
            return new EnvelopeNode(skeleton, 0);
        }
        finally
        {
            skeleton.ReturnBuffers();
        }
    }

    /// <summary>A kept value; <see cref="EnvelopeNode"/> is its handle.</summary>
    internal struct Node
    {
        public JsonValueKind Kind;
        /// <summary>Its member name in its parent object (one of <see cref="EnvelopeNode.Names"/>); null for the root and array items.</summary>
        public string? Name;
        /// <summary>Where its bytes are in the body (a string with its quotes).</summary>
        public int Start, Length;
        /// <summary>The first and last kept member or item, and the next sibling: indexes in <see cref="Nodes"/>, 0 for none.</summary>
        public int FirstChild, LastChild, Next;
    }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The kept values, the root first; a dozen or two in real webhooks.</summary>
    public Node[] Nodes { get; private set; } = new Node[16];

    private int nodeCount;

    /// <summary>What an open object or array is in the envelope. Only the envelope's own objects and arrays keep members or items.</summary>
    private enum Role : byte { Content, Root, Entries, Entry, Changes, Change, Value, Metadata }

    /// <summary>An open object or array.</summary>
    private struct Frame
    {
        public Role Role;
        /// <summary>The node this container was kept as, or -1 (content below the envelope).</summary>
        public int Node;
        public int Start;
        /// <summary>In an envelope object, the kept member whose value comes next.</summary>
        public string? Member;
        /// <summary>Where this object's names start in <see cref="names"/> and <see cref="arena"/>.</summary>
        public int FirstName, ArenaMark;
        /// <summary>One bit per name of this object (see <see cref="IsDuplicate"/>).</summary>
        public ulong NameBits;
        public HashSet<NameRange>? NameSet;
        /// <summary>The first name of this object that JsonDocument would refuse (a duplicate, or not unescapable).</summary>
        public Exception? Refusal;
    }

    /// <summary>A property name: a range of the body, or of <see cref="arena"/> when it had to be unescaped.</summary>
    internal readonly record struct NameRange(int Start, int Length, bool Unescaped);

    // Buffers of the pass, rented and returned by Read: open containers, names of the open objects, unescaped names.
    private readonly Frame[] frames = ArrayPool<Frame>.Shared.Rent(WebhookEnvelopeReader.MaxDepth);
    private int depth;
    private NameRange[] names = ArrayPool<NameRange>.Shared.Rent(64);
    private int nameCount;
    private byte[]? arena;
    private int arenaUsed;
    private HashSet<NameRange>?[]? setsByDepth;

    private EnvelopeSkeleton(ReadOnlyMemory<byte> body) => Body = body;

    private void ReadAll()
    {
        var json = Body.Span;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    ReadName(ref reader, json);
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    Open(ref reader);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    if (Close(ref reader) is { } refusal)
                    {
                        // JsonDocument looks for duplicate names only once the whole body has parsed, so a syntax
                        // error further on comes first. It checks objects in the order they end (children first),
                        // which is the order they end here, so this is the refusal it would report.
                        while (reader.Read()) { }
                        throw refusal;
                    }
                    break;
                default:
                    if (depth == 0 || frames[depth - 1].Role != Role.Content)
                        Keep(ref reader, reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0));
                    break;
            }
        }
    }

    private void Open(ref Utf8JsonReader reader)
    {
        var parentRole = depth == 0 ? (Role?)null : frames[depth - 1].Role;
        var node = parentRole == Role.Content ? -1 : Keep(ref reader, length: 0);
        // Field by field rather than a new Frame: copying a struct with references into the array costs a GC
        // write barrier per reference, and nearly every container of a large body is content that keeps nothing.
        ref var frame = ref frames[depth++];
        frame = default;
        frame.Node = node;
        frame.Start = (int)reader.TokenStartIndex;
        frame.FirstName = nameCount;
        frame.ArenaMark = arenaUsed;
        if (node >= 0) frame.Role = RoleOf(parentRole, Nodes[node].Name, reader.TokenType);
    }

    private static Role RoleOf(Role? parent, string? member, JsonTokenType token) => (parent, member, token) switch
    {
        (null, _, JsonTokenType.StartObject) => Role.Root,
        (Role.Root, "data", JsonTokenType.StartObject) => Role.Value,
        (Role.Root, "entry", JsonTokenType.StartArray) => Role.Entries,
        (Role.Entries, _, JsonTokenType.StartObject) => Role.Entry,
        (Role.Entry, "changes", JsonTokenType.StartArray) => Role.Changes,
        (Role.Changes, _, JsonTokenType.StartObject) => Role.Change,
        (Role.Change, "value", JsonTokenType.StartObject) => Role.Value,
        (Role.Value, "metadata", JsonTokenType.StartObject) => Role.Metadata,
        _ => Role.Content,
    };

    /// <summary>
    /// Keeps the value the reader is on if the envelope needs it (the root, a kept member of an envelope object,
    /// an item of <c>entry</c> or <c>changes</c>) and returns its index, else -1. A container's length is set when it closes.
    /// </summary>
    private int Keep(ref Utf8JsonReader reader, int length)
    {
        var parent = depth == 0 ? -1 : frames[depth - 1].Node;
        string? member = null;
        if (depth > 0)
        {
            ref var frame = ref frames[depth - 1];
            member = frame.Member;
            frame.Member = null;
            if (member is null && frame.Role is not (Role.Entries or Role.Changes)) return -1;
        }

        if (nodeCount == Nodes.Length)
        {
            var larger = new Node[nodeCount * 2];
            Nodes.CopyTo(larger, 0);
            Nodes = larger;
        }
        var index = nodeCount++;
        ref var node = ref Nodes[index];
        node.Kind = reader.TokenType switch
        {
            JsonTokenType.StartObject => JsonValueKind.Object,
            JsonTokenType.StartArray => JsonValueKind.Array,
            JsonTokenType.String => JsonValueKind.String,
            JsonTokenType.Number => JsonValueKind.Number,
            JsonTokenType.True => JsonValueKind.True,
            JsonTokenType.False => JsonValueKind.False,
            _ => JsonValueKind.Null,
        };
        node.Name = member;
        node.Start = (int)reader.TokenStartIndex;
        node.Length = length;

        if (parent >= 0)
        {
            ref var parentNode = ref Nodes[parent];
            if (parentNode.FirstChild == 0) parentNode.FirstChild = index;
            else Nodes[parentNode.LastChild].Next = index;
            parentNode.LastChild = index;
        }
        return index;
    }

    private Exception? Close(ref Utf8JsonReader reader)
    {
        ref var frame = ref frames[--depth];
        if (frame.Node >= 0) Nodes[frame.Node].Length = (int)reader.BytesConsumed - frame.Start;
        frame.NameSet?.Clear();
        nameCount = frame.FirstName;
        arenaUsed = frame.ArenaMark;
        return frame.Refusal;
    }

    private void ReadName(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        ref var frame = ref frames[depth - 1];
        frame.Member = null;
        // Past its first refused name JsonDocument looks no further in an object; the body is refused anyway.
        if (frame.Refusal is not null) return;

        NameRange name;
        ReadOnlySpan<byte> bytes;
        if (!reader.ValueIsEscaped)
        {
            name = new((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, Unescaped: false);
            bytes = reader.ValueSpan;
        }
        else
        {
            // Names are compared unescaped ("a" and "\u0061" are one name).
            EnsureArena(reader.ValueSpan.Length);
            try
            {
                name = new(arenaUsed, UnescapeName(reader.ValueSpan, arena.AsSpan(arenaUsed)), Unescaped: true);
            }
            catch (InvalidOperationException e)
            {
                frame.Refusal = e;
                return;
            }
            arenaUsed += name.Length;
            bytes = Bytes(name, json);
        }

        if (IsDuplicate(ref frame, name, bytes, json))
        {
            frame.Refusal = DuplicateProperty(bytes);
            return;
        }
        if (frame.Role is Role.Root or Role.Entry or Role.Change or Role.Value or Role.Metadata)
            frame.Member = KeptName(bytes);
    }

    /// <summary>
    /// Whether the open object already has this name, and if not, adds it. A few names are compared one by one;
    /// more go into a hash set, so that a hostile object with thousands of names costs no more than a few.
    /// </summary>
    private bool IsDuplicate(ref Frame frame, NameRange name, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> json)
    {
        if (frame.NameSet is null && nameCount - frame.FirstName < NamesComparedOneByOne)
        {
            // Most objects have a handful of names, and one bit per name, chosen by its length and last byte, tells
            // them apart: only a name whose bit is already set can be a duplicate, and only then are names compared.
            var bit = 1UL << ((bytes.Length * 7 + (bytes.IsEmpty ? 0 : bytes[^1])) & 63);
            if ((frame.NameBits & bit) != 0)
            {
                for (var i = frame.FirstName; i < nameCount; i++)
                    if (names[i].Length == name.Length && Bytes(names[i], json).SequenceEqual(bytes)) return true;
            }
            frame.NameBits |= bit;
            if (nameCount == names.Length) Grow(ref names, nameCount * 2);
            names[nameCount++] = name;
            return false;
        }
        if (frame.NameSet is null)
        {
            setsByDepth ??= new HashSet<NameRange>?[WebhookEnvelopeReader.MaxDepth];
            frame.NameSet = setsByDepth[depth - 1] ??= new HashSet<NameRange>(this);
            for (var i = frame.FirstName; i < nameCount; i++) frame.NameSet.Add(names[i]);
        }
        return !frame.NameSet.Add(name);
    }

    /// <summary>JsonDocument's refusal of a duplicate name, in its words (the name cut to 15 characters, as it does).</summary>
    private static JsonException DuplicateProperty(ReadOnlySpan<byte> name)
    {
        var text = Encoding.UTF8.GetString(name);
        if (text.Length > 15) text = string.Concat(text.AsSpan(0, 15), "...");
        return new JsonException($"Duplicate property '{text}' encountered during deserialization.");
    }

    /// <summary>
    /// Unescapes a property name as JsonDocument does before comparing names (System.Text.Json's internal
    /// JsonReaderHelper.Unescape): other bytes are copied as they are, invalid UTF-8 included, where
    /// <see cref="Utf8JsonReader.CopyString(Span{byte})"/> would refuse them; an escaped surrogate outside a pair throws
    /// the same <see cref="InvalidOperationException"/>. The reader has already checked the escapes' syntax.
    /// </summary>
    private static int UnescapeName(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] != (byte)'\\')
            {
                destination[written++] = source[i];
                continue;
            }
            var escaped = source[++i] switch
            {
                (byte)'"' => (byte)'"',
                (byte)'\\' => (byte)'\\',
                (byte)'/' => (byte)'/',
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                (byte)'n' => (byte)'\n',
                (byte)'r' => (byte)'\r',
                (byte)'t' => (byte)'\t',
                _ => (byte)0, // 'u'
            };
            if (escaped != 0)
            {
                destination[written++] = escaped;
                continue;
            }
            var scalar = Hex(source.Slice(i + 1, 4));
            i += 4;
            if (scalar is >= 0xD800 and <= 0xDFFF)
            {
                if (scalar >= 0xDC00) throw InvalidSurrogate(scalar);
                if (source.Length < i + 7 || source[i + 1] != (byte)'\\' || source[i + 2] != (byte)'u')
                    throw new InvalidOperationException("Cannot read incomplete UTF-16 JSON text as string with missing low surrogate.");
                var low = Hex(source.Slice(i + 3, 4));
                i += 6;
                if (low is < 0xDC00 or > 0xDFFF) throw InvalidSurrogate(low);
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00);
            }
            written += new Rune(scalar).EncodeToUtf8(destination[written..]);
        }
        return written;

        static int Hex(ReadOnlySpan<byte> digits)
        {
            // The reader has validated the escape: four hex digits, so the parse cannot fail.
            _ = System.Buffers.Text.Utf8Parser.TryParse(digits, out int value, out _, 'x');
            return value;
        }

        static InvalidOperationException InvalidSurrogate(int value) =>
            new($"Cannot read invalid UTF-16 JSON text as string. Invalid surrogate value: '0x{value:X2}'.");
    }

    private static string? KeptName(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < KeptNames.Length; i++)
            if (name.SequenceEqual(KeptNames[i])) return EnvelopeNode.Names[i];
        return null;
    }

    private ReadOnlySpan<byte> Bytes(NameRange name, ReadOnlySpan<byte> json) =>
        name.Unescaped ? arena.AsSpan(name.Start, name.Length) : json.Slice(name.Start, name.Length);

    public bool Equals(NameRange x, NameRange y) => x.Length == y.Length && Bytes(x, Body.Span).SequenceEqual(Bytes(y, Body.Span));

    public int GetHashCode(NameRange name)
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes(name, Body.Span));
        return hash.ToHashCode();
    }

    private void EnsureArena(int more)
    {
        if (arena is null) arena = ArrayPool<byte>.Shared.Rent(Math.Max(256, more));
        else if (arenaUsed + more > arena.Length) Grow(ref arena, Math.Max(arena.Length * 2, arenaUsed + more));
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        var larger = ArrayPool<T>.Shared.Rent(length);
        array.CopyTo(larger, 0);
        ArrayPool<T>.Shared.Return(array, clearArray: true);
        array = larger;
    }

    private void ReturnBuffers()
    {
        ArrayPool<Frame>.Shared.Return(frames, clearArray: true);
        ArrayPool<NameRange>.Shared.Return(names);
        // The arena holds unescaped names from the body: clear it before the pool hands it out again.
        if (arena is not null) ArrayPool<byte>.Shared.Return(arena, clearArray: true);
    }
}
