using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coexistence.Changes;

/// <summary>The JSON of a media job: camelCase properties, absent ones null (docs/queue-messages.md, "Media jobs").</summary>
internal static class MediaJobFormat
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize(MediaJob job) => JsonSerializer.SerializeToUtf8Bytes(job, Options);

    /// <summary>A job, or null with the reason when the text is not one (not JSON, another version, a required field missing).</summary>
    public static MediaJob? TryParse(ReadOnlyMemory<byte> text, out string? error)
    {
        try
        {
            var job = JsonSerializer.Deserialize<MediaJob>(text.Span, Options);
            error = job switch
            {
                null => "not a JSON object",
                { Version: not MediaJob.CurrentVersion } => $"version {job.Version} is not {MediaJob.CurrentVersion}",
                _ when string.IsNullOrEmpty(job.PhoneNumberId) || string.IsNullOrEmpty(job.MessageId) || string.IsNullOrEmpty(job.MediaId) =>
                    "phoneNumberId, messageId and mediaId are required",
                _ => null,
            };
            return error is null ? job : null;
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return null;
        }
    }
}
