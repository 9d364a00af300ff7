using System.Text.Json;

namespace Coexistence.Http;

/// <summary>
/// An HTTP answer of the door or the read API, independent of the Functions runtime: status, content type, body,
/// and Retry-After when the caller should retry. The functions only write it out. A file (the read API's archived media)
/// comes as <see cref="File"/> instead of <see cref="Body"/>: streamed, and disposed once written.
/// </summary>
public sealed record HttpAnswer(int Status, string ContentType, byte[] Body, int? RetryAfterSeconds = null)
{
    /// <summary>A file to stream as the body (then <see cref="Body"/> is empty), with its length; sent as an attachment.</summary>
    public (Stream Content, long Length)? File { get; init; }

    public const string ProblemContentType = "application/problem+json";
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>Problem type URIs are URNs: stable identifiers, not links.</summary>
    public static string ProblemType(string code) => "urn:coexistence:problem:" + code;

    public static HttpAnswer Json(int status, byte[] body) => new(status, JsonContentType, body);

    /// <summary>The problem as an RFC 9457 document: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, <c>code</c>, <c>pointer</c>.</summary>
    public static HttpAnswer ForProblem(Problem problem, int? retryAfterSeconds = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("type", ProblemType(problem.Code));
            w.WriteString("title", problem.Title);
            w.WriteNumber("status", problem.Status);
            w.WriteString("detail", problem.Detail);
            w.WriteString("code", problem.Code);
            if (problem.Pointer is null) w.WriteNull("pointer");
            else w.WriteString("pointer", problem.Pointer);
            w.WriteEndObject();
        }
        return new HttpAnswer(problem.Status, ProblemContentType, stream.ToArray(), retryAfterSeconds);
    }
}
