using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Coexistence.Webhooks;

namespace Coexistence.Cli;

/// <summary>
/// Output helpers of the operator commands (poison, quarantine, reingest, status): JSON in one style,
/// times in one format, and a progress counter on stderr shown only when stderr is a terminal.
/// </summary>
internal static class OperatorOutput
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void WriteJson<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>ISO 8601 UTC with seconds (<c>2024-05-01T10:00:00Z</c>) for JSON; null stays null.</summary>
    public static string? IsoTime(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> UTC for tables; "-" when unknown.</summary>
    public static string TableTime(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The CLI's short kind names (history, contacts, echoes, messages, accounts), as <c>--kind</c> takes them.</summary>
    public static string ShortKind(WebhookKind kind) => kind switch
    {
        WebhookKind.History => "history",
        WebhookKind.ContactSync => "contacts",
        WebhookKind.MessageEchoes => "echoes",
        WebhookKind.Messages => "messages",
        WebhookKind.AccountUpdate => "accounts",
        _ => kind.ToField(),
    };

    public static WebhookKind? ParseKind(string? value) => value switch
    {
        null => null,
        "history" => WebhookKind.History,
        "contacts" => WebhookKind.ContactSync,
        "echoes" => WebhookKind.MessageEchoes,
        "messages" => WebhookKind.Messages,
        "accounts" => WebhookKind.AccountUpdate,
        _ => throw new ArgumentException($"unknown kind {value}"),
    };

    public static string OneLine(string? text) =>
        string.IsNullOrEmpty(text) ? "-" : string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    /// <summary>A progress counter on stderr ("label: n"), rewritten in place; a no-op unless stderr is a terminal.</summary>
    public static TerminalProgress Progress(CliHost host, string label) => new(host.ErrorIsTerminal ? host.Error : null, label);
}
