using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coexistence.Tests.Infra;

/// <summary>
/// A small evaluator of the ARM template language, for the few functions the media settings and secrets use (issue 20),
/// so a test can give a module parameter values and read what a variable or output becomes, as ARM would compute it.
/// Values: <see langword="null"/>, string, long, bool, <see cref="List{T}"/> of values, <see cref="SortedDictionary{TKey, TValue}"/>
/// (string keys, ordinal). <c>reference(...)</c> answers a vault whose <c>vaultUri</c> is <see cref="VaultUri"/>. Anything
/// else throws, so an expression that leaves this subset fails the test rather than being guessed at.
/// </summary>
internal sealed class ArmExpressions(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
{
    public const string VaultUri = "https://kv-test.vault.azure.net/";

    private readonly JsonObject variables = template["variables"]?.AsObject() ?? [];

    /// <summary>What <c>copyIndex()</c> answers: the iteration of a resource loop being looked at.</summary>
    public long CopyIndex { get; set; }

    /// <summary>The value of the template's variable <paramref name="name"/>.</summary>
    public object? Variable(string name)
    {
        Assert.True(variables.ContainsKey(name), $"no variable '{name}'");
        return FromJson(variables[name]);
    }

    /// <summary>The value of the template's output <paramref name="name"/>.</summary>
    public object? Output(string name) => FromJson(template["outputs"]![name]!["value"]);

    /// <summary>A JSON value with ARM expressions ("[...]") in its strings, evaluated.</summary>
    public object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new SortedDictionary<string, object?>(o.ToDictionary(p => p.Key, p => FromJson(p.Value)), StringComparer.Ordinal),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Evaluate((string)v!),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (bool)v,
        JsonValue v => (long)v,
        _ => throw new InvalidOperationException(node.ToJsonString()),
    };

    /// <summary>A string of the template: an expression when in brackets (not "[["), else itself.</summary>
    public object? Evaluate(string text)
    {
        if (!text.StartsWith('[') || text.StartsWith("[[", StringComparison.Ordinal) || !text.EndsWith(']')) return text;
        var parser = new Parser(text[1..^1]);
        var node = parser.Expression();
        parser.End();
        return Eval(node, []);
    }

    private object? Eval(Node node, Dictionary<string, object?> scope) => node switch
    {
        Literal l => l.Value,
        Property p => Member(Eval(p.Target, scope), p.Name),
        Index i => Eval(i.Target, scope) switch
        {
            List<object?> list => list[(int)(long)Eval(i.Key, scope)!],
            var target => Member(target, (string)Eval(i.Key, scope)!),
        },
        Call c => Invoke(c, scope),
        _ => throw new InvalidOperationException(node.ToString()),
    };

    private static object? Member(object? target, string name) => target is SortedDictionary<string, object?> o && o.TryGetValue(name, out var value)
        ? value
        : throw new InvalidOperationException($"no property '{name}' in {Show(target)}");

    private object? Invoke(Call call, Dictionary<string, object?> scope)
    {
        // The ones that must not evaluate every argument first.
        switch (call.Name)
        {
            case "lambda":
                return new Lambda(call.Arguments[..^1].Select(a => (string)Eval(a, scope)!).ToList(), call.Arguments[^1], scope);
            case "if":
                return Truth(Eval(call.Arguments[0], scope)) ? Eval(call.Arguments[1], scope) : Eval(call.Arguments[2], scope);
        }
        var args = call.Arguments.Select(a => Eval(a, scope)).ToList();
        return call.Name switch
        {
            "parameters" => Parameter((string)args[0]!),
            "variables" => Variable((string)args[0]!),
            "lambdaVariables" => scope.TryGetValue((string)args[0]!, out var bound) ? bound : throw new InvalidOperationException($"unbound {args[0]}"),
            "createObject" => Object(Enumerable.Range(0, args.Count / 2).Select(i => ((string)args[2 * i]!, args[2 * i + 1]))),
            "createArray" => args,
            "format" => string.Format(CultureInfo.InvariantCulture, (string)args[0]!, args.Skip(1).Select(Text).ToArray()),
            "string" => Text(args[0]),
            "coalesce" => args.FirstOrDefault(a => a is not null),
            "tryGet" => args[0] is SortedDictionary<string, object?> o && o.TryGetValue((string)args[1]!, out var found) ? found : null,
            "empty" => args[0] switch
            {
                null => true,
                string s => s.Length == 0,
                List<object?> l => l.Count == 0,
                SortedDictionary<string, object?> d => d.Count == 0,
                _ => false,
            },
            "not" => !Truth(args[0]),
            "or" => args.Any(Truth),
            "and" => args.All(Truth),
            "equals" => Equals(args[0], args[1]),
            "greater" => (long)args[0]! > (long)args[1]!,
            "greaterOrEquals" => (long)args[0]! >= (long)args[1]!,
            "less" => (long)args[0]! < (long)args[1]!,
            "lessOrEquals" => (long)args[0]! <= (long)args[1]!,
            "length" => (long)(args[0] switch
            {
                string s => s.Length,
                List<object?> l => l.Count,
                SortedDictionary<string, object?> d => d.Count,
                var x => throw Unexpected(x),
            }),
            "union" => Object(args.Cast<SortedDictionary<string, object?>>().SelectMany(d => d).Select(p => (p.Key, p.Value))),
            "concat" => args.All(a => a is List<object?>) ? args.Cast<List<object?>>().SelectMany(l => l).ToList() : string.Concat(args.Select(Text)),
            "flatten" => args[0] is List<object?> outer ? outer.Cast<List<object?>>().SelectMany(l => l).ToList() : throw Unexpected(args[0]),
            "items" => args[0] is SortedDictionary<string, object?> d
                ? d.Select(p => (object?)Object([("key", p.Key), ("value", p.Value)])).ToList()
                : throw Unexpected(args[0]),
            "map" => Items(args[0]).Select(x => Apply(args[1], x)).ToList(),
            "filter" => Items(args[0]).Where(x => Truth(Apply(args[1], x))).ToList(),
            "toObject" => Object(Items(args[0]).Select(x => ((string)Apply(args[1], x)!, args.Count > 2 ? Apply(args[2], x) : x))),
            "copyIndex" when args.Count == 0 => CopyIndex,
            "resourceId" => "/resourceId/" + string.Join('/', args.Select(Text)),
            "reference" => Object([("vaultUri", VaultUri)]),
            _ => throw new InvalidOperationException($"ARM function '{call.Name}' is not in this evaluator's subset"),
        };
    }

    private object? Parameter(string name)
    {
        if (parameters.TryGetValue(name, out var given)) return FromJson(given);
        var declared = template["parameters"]?[name];
        Assert.True(declared is not null, $"no parameter '{name}'");
        return FromJson(declared!["defaultValue"]);
    }

    private object? Apply(object? function, object? argument)
    {
        var lambda = function as Lambda ?? throw Unexpected(function);
        var scope = new Dictionary<string, object?>(lambda.Scope) { [lambda.Names.Single()] = argument };
        return Eval(lambda.Body, scope);
    }

    private static List<object?> Items(object? value) => value as List<object?> ?? throw Unexpected(value);

    private static SortedDictionary<string, object?> Object(IEnumerable<(string Key, object? Value)> pairs)
    {
        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs) result[key] = value;
        return result;
    }

    private static bool Truth(object? value) => value as bool? ?? throw Unexpected(value);

    private static string Text(object? value) => value switch
    {
        string s => s,
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        var x => throw Unexpected(x),
    };

    private static InvalidOperationException Unexpected(object? value) => new($"unexpected value {Show(value)}");

    /// <summary>A value as JSON, for messages and comparisons.</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        List<object?> l => "[" + string.Join(",", l.Select(Show)) + "]",
        SortedDictionary<string, object?> d => "{" + string.Join(",", d.Select(p => $"{JsonSerializer.Serialize(p.Key)}:{Show(p.Value)}")) + "}",
        var x => x.ToString() ?? "",
    };

    private abstract record Node;

    private sealed record Literal(object? Value) : Node;

    private sealed record Property(Node Target, string Name) : Node;

    private sealed record Index(Node Target, Node Key) : Node;

    private sealed record Call(string Name, List<Node> Arguments) : Node;

    private sealed record Lambda(List<string> Names, Node Body, Dictionary<string, object?> Scope);

    /// <summary>Expression := primary ( '.' name | '[' expression ']' )*; primary := name '(' arguments ')' | 'string' | integer.</summary>
    private sealed class Parser(string text)
    {
        private int position;

        public Node Expression()
        {
            var node = Primary();
            while (true)
            {
                Skip();
                if (Peek('.'))
                {
                    position++;
                    node = new Property(node, Name());
                }
                else if (Peek('['))
                {
                    position++;
                    var key = Expression();
                    Expect(']');
                    node = new Index(node, key);
                }
                else return node;
            }
        }

        public void End()
        {
            Skip();
            if (position != text.Length) throw new FormatException($"unexpected '{text[position..]}' in {text}");
        }

        private Node Primary()
        {
            Skip();
            if (Peek('\''))
            {
                var value = new System.Text.StringBuilder();
                position++;
                while (true)
                {
                    var quote = text.IndexOf('\'', position);
                    if (quote < 0) throw new FormatException($"unterminated string in {text}");
                    value.Append(text, position, quote - position);
                    position = quote + 1;
                    if (!Peek('\'')) return new Literal(value.ToString());
                    value.Append('\'');
                    position++;
                }
            }
            if (char.IsDigit(text[position]) || text[position] == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsDigit(text[position])) position++;
                return new Literal(long.Parse(text[start..position], CultureInfo.InvariantCulture));
            }
            var name = Name();
            Expect('(');
            var arguments = new List<Node>();
            Skip();
            if (Peek(')')) position++;
            else
            {
                while (true)
                {
                    arguments.Add(Expression());
                    Skip();
                    if (Peek(',')) { position++; continue; }
                    Expect(')');
                    break;
                }
            }
            return name switch
            {
                "true" when arguments.Count == 0 => new Literal(true),
                "false" when arguments.Count == 0 => new Literal(false),
                "null" when arguments.Count == 0 => new Literal(null),
                _ => new Call(name, arguments),
            };
        }

        private string Name()
        {
            Skip();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_')) position++;
            if (position == start) throw new FormatException($"a name expected at {position} in {text}");
            return text[start..position];
        }

        private void Expect(char c)
        {
            Skip();
            if (!Peek(c)) throw new FormatException($"'{c}' expected at {position} in {text}");
            position++;
        }

        private bool Peek(char c) => position < text.Length && text[position] == c;

        private void Skip()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        }
    }
}
