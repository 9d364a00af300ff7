using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coexistence.Tests.Support;

namespace Coexistence.Tests.Infra;

/// <summary>
/// The ARM template <c>scripts/check-infra.sh</c> compiles from infra/main.bicep, read for the tests.
/// Bicep leaves expressions in it ("[parameters('x')]", variables, copy loops); the helpers here resolve
/// the few shapes the infrastructure uses (a module parameter fed by a main parameter's default, a
/// variable) and leave everything else as expression text for the tests to assert on.
/// </summary>
internal sealed partial class ArmTemplate
{
    public const string RelativePath = "infra/.build/main.json";

    private static readonly Lazy<ArmTemplate> Compiled = new(() =>
    {
        var path = Repository.PathOf(RelativePath);
        Assert.True(File.Exists(path),
            $"{RelativePath} is missing: run `bash scripts/check-infra.sh` (it builds infra/main.bicep with the Bicep CLI) before these tests.");
        return new ArmTemplate(JsonNode.Parse(File.ReadAllText(path))!.AsObject(), File.ReadAllText(path));
    });

    private ArmTemplate(JsonObject root, string text)
    {
        Root = root;
        Text = text;
    }

    public static ArmTemplate Load() => Compiled.Value;

    public JsonObject Root { get; }

    /// <summary>The whole compiled template as text, for "appears nowhere" checks.</summary>
    public string Text { get; }

    public JsonObject Parameters => Root["parameters"]!.AsObject();

    public JsonObject Variables => Root["variables"]!.AsObject();

    public JsonObject Outputs => Root["outputs"]!.AsObject();

    public IEnumerable<JsonObject> Resources => Root["resources"]!.AsArray().Select(r => r!.AsObject());

    /// <summary>A module of main.bicep: the nested deployment named <paramref name="name"/>.</summary>
    public Module ModuleNamed(string name)
    {
        var deployment = Resources.SingleOrDefault(r => (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == name);
        Assert.True(deployment is not null, $"main.bicep has no module named '{name}'.");
        return new Module(this, deployment!);
    }

    public IEnumerable<Module> Modules => Resources
        .Where(r => (string?)r["type"] == "Microsoft.Resources/deployments")
        .Select(r => new Module(this, r));

    /// <summary>The default value of a main.bicep parameter.</summary>
    public JsonNode? DefaultOf(string parameter)
    {
        Assert.True(Parameters.ContainsKey(parameter), $"main.bicep has no parameter '{parameter}'.");
        return Parameters[parameter]!["defaultValue"];
    }

    public sealed class Module(ArmTemplate main, JsonObject deployment)
    {
        public string Name => (string)deployment["name"]!;

        public JsonObject Template => deployment["properties"]!["template"]!.AsObject();

        /// <summary>What main.bicep passes to this module.</summary>
        public JsonObject Arguments => deployment["properties"]!["parameters"]!.AsObject();

        public JsonObject Variables => Template["variables"]?.AsObject() ?? [];

        public IEnumerable<JsonObject> Resources => Template["resources"]!.AsArray().Select(r => r!.AsObject());

        public IEnumerable<JsonObject> ResourcesOfType(string type) => Resources.Where(r => (string?)r["type"] == type);

        public JsonObject Single(string type)
        {
            var found = ResourcesOfType(type).ToList();
            Assert.True(found.Count == 1, $"Module '{Name}' should declare exactly one {type}, found {found.Count}.");
            return found[0];
        }

        public string[] StringArrayVariable(string name)
        {
            Assert.True(Variables.ContainsKey(name), $"Module '{Name}' has no variable '{name}'.");
            // loadJsonContent('x.json') compiles to a hidden variable ('$fxv#0') and a reference to it.
            var value = Resolve(Variables[name]);
            Assert.True(value is JsonArray, $"Module '{Name}': variable '{name}' is not an array: {value?.ToJsonString()}");
            return value!.AsArray().Select(v => (string)v!).ToArray();
        }

        public string StringVariable(string name)
        {
            Assert.True(Variables.ContainsKey(name), $"Module '{Name}' has no variable '{name}'.");
            return (string)Variables[name]!;
        }

        /// <summary>
        /// The value an expression in this module takes when the deployment uses its defaults:
        /// a literal stays itself; "[parameters('p')]" becomes what main.bicep passes for p (a main
        /// parameter's default when main passes "[parameters('q')]"), or p's own default;
        /// "[variables('v')]" becomes v. Anything else is returned unchanged (as expression text).
        /// </summary>
        public JsonNode? Resolve(JsonNode? value)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text)) return value;
            if (ParameterReference().Match(text) is { Success: true } p) return ResolveParameter(p.Groups[1].Value);
            if (VariableReference().Match(text) is { Success: true } var && Variables.ContainsKey(var.Groups[1].Value))
                return Variables[var.Groups[1].Value];
            return value;
        }

        public JsonNode? ResolveParameter(string name)
        {
            if (Arguments[name]?["value"] is { } passed)
                return passed is JsonValue pv && pv.TryGetValue<string>(out var s) && ParameterReference().Match(s) is { Success: true } m
                    ? main.DefaultOf(m.Groups[1].Value)
                    : passed;
            var declared = Template["parameters"]?[name];
            Assert.True(declared is not null, $"Module '{Name}' has no parameter '{name}'.");
            return declared!["defaultValue"];
        }

        /// <summary>Replaces each <c>variables('v')</c> holding a string with that string, quoted ARM-style.</summary>
        public string InlineStringVariables(string expression) => VariableCall().Replace(expression, m =>
            Variables[m.Groups[1].Value] is JsonValue value && value.TryGetValue<string>(out var s) ? $"'{s}'" : m.Value);
    }

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableCall();
}
