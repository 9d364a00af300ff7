using System.Text.Json.Serialization;

namespace Coexistence.Queries;

/// <summary>
/// A message as the CLI's JSON and the read API show it (docs/api.md, "Message content"): its text or media, and for
/// other types a typed <see cref="Content"/> (one shape per type); what it replies to, whether it was forwarded, the ad
/// it came from; its errors; each side's current reaction; its delivery; who it is with.
/// </summary>
public sealed record MessageView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("chatId")] string ChatId,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("media")] MediaView? Media,
    [property: JsonPropertyName("revoked")] bool Revoked,
    [property: JsonPropertyName("edited")] bool Edited,
    [property: JsonPropertyName("delivery")] DeliveryView? Delivery = null,
    [property: JsonPropertyName("customer")] CustomerView? Customer = null,
    [property: JsonPropertyName("content")] object? Content = null,
    [property: JsonPropertyName("replyTo")] ReplyToView? ReplyTo = null,
    [property: JsonPropertyName("forwarded")] bool Forwarded = false,
    [property: JsonPropertyName("frequentlyForwarded")] bool FrequentlyForwarded = false,
    [property: JsonPropertyName("referral")] ReferralView? Referral = null,
    [property: JsonPropertyName("errors")] IReadOnlyList<ErrorView>? Errors = null,
    [property: JsonPropertyName("reactions")] ReactionsView? Reactions = null);
