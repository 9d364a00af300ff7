namespace Coexistence.Model;

/// <summary>An error as webhooks give it (<c>errors[]</c>: <c>code</c>, <c>title</c>, <c>message</c>, <c>error_data.details</c>).</summary>
internal sealed record WebhookError(long? Code, string? Title, string? Message, string? Details);
