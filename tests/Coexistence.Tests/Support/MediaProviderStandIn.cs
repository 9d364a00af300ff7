using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coexistence.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HttpContext = Microsoft.AspNetCore.Http.HttpContext;

namespace Coexistence.Tests.Support;

/// <summary>
/// Meta's Graph API media endpoints, or 360dialog's, on a real Kestrel server on 127.0.0.1 (a free port), so that the
/// downloader's real <see cref="HttpClient"/> goes through sockets, headers and bodies as it would in Azure; nothing
/// leaves the machine. The lookup <c>GET /{media id}</c> answers <c>{url, mime_type, sha256, file_size}</c>; the file is
/// at <c>/files/{id}</c> on this server (Meta mode), or, in 360dialog mode, the url names Meta's lookaside host as
/// 360dialog's does and the file is served here at <c>/whatsapp_business/attachments/?mid={id}</c>: only a downloader
/// that moves that url onto its base URL finds it. An unknown id is a 404 (an expired id, as Meta answers). A test can
/// script failures per id and step, and reads every request received.
/// </summary>
internal sealed class MediaProviderStandIn : IAsyncDisposable
{
    public const string D360FilePath = "/whatsapp_business/attachments/";

    private readonly WebApplication app;
    private readonly bool d360;
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string Mime, string Sha256, long? DeclaredSize, bool Chunked)> files = new();
    private readonly ConcurrentDictionary<(string Step, string Id), ConcurrentQueue<Func<HttpContext, Task>>> faults = new();
    private readonly ConcurrentQueue<MediaProviderRequest> requests = new();

    private MediaProviderStandIn(WebApplication app, bool d360) => (this.app, this.d360) = (app, d360);

    /// <summary>What to put in <c>Media:BaseUrl</c>: this server, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<MediaProviderRequest> Requests => [.. requests];

    public IReadOnlyList<MediaProviderRequest> FileRequests => [.. requests.Where(r => r.IsFile)];

    /// <param name="provider"><see cref="MediaOptions.Meta"/> or <see cref="MediaOptions.D360"/>: whose answers to give.</param>
    public static async Task<MediaProviderStandIn> StartAsync(string provider = MediaOptions.Meta)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new MediaProviderStandIn(app, provider == MediaOptions.D360);
        ((IApplicationBuilder)app).Run(standIn.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.BaseUrl = address.TrimEnd('/');
        return standIn;
    }

    /// <summary>
    /// Serves <paramref name="bytes"/> as media <paramref name="id"/>. The lookup's <c>sha256</c> is the bytes' own (base64,
    /// Meta's form) and its <c>file_size</c> their length, unless <paramref name="declaredSize"/> says otherwise (-1: none sent);
    /// <paramref name="chunked"/>: the file goes without a Content-Length; <paramref name="lookupSha256"/>: another hash to claim.
    /// </summary>
    public void Serve(string id, byte[] bytes, string mime, long? declaredSize = null, bool chunked = false, string? lookupSha256 = null) =>
        files[id] = (bytes, mime, lookupSha256 ?? Convert.ToBase64String(SHA256.HashData(bytes)), declaredSize ?? bytes.Length, chunked);

    /// <summary>The next <paramref name="times"/> lookups (or file requests) of the id answer <paramref name="status"/>.</summary>
    public void Fail(string id, int status, int times = 1, bool file = false, int? retryAfterSeconds = null) =>
        Script(id, file, times, context =>
        {
            context.Response.StatusCode = status;
            if (retryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var error = $$$"""{"error":{"message":"stand-in {{{status}}}","code":{{{status}}}}}""";
            return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(error)).AsTask();
        });

    /// <summary>The next <paramref name="times"/> lookups (or file requests) of the id send no headers for <paramref name="delay"/>.</summary>
    public void Stall(string id, TimeSpan delay, int times = 1, bool file = false) =>
        Script(id, file, times, async context =>
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up: nothing more to send
            }
            await ServeNormallyAsync(context, id, file);
        });

    /// <summary>The next <paramref name="times"/> file requests of the id promise the whole file, send half of it and drop the connection.</summary>
    public void Truncate(string id, int times = 1) =>
        Script(id, file: true, times, async context =>
        {
            var bytes = files[id].Bytes;
            context.Response.ContentType = files[id].Mime;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
        });

    private void Script(string id, bool file, int times, Func<HttpContext, Task> answer)
    {
        var queue = faults.GetOrAdd((file ? "file" : "lookup", id), _ => new ConcurrentQueue<Func<HttpContext, Task>>());
        for (var i = 0; i < times; i++) queue.Enqueue(answer);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        requests.Enqueue(new MediaProviderRequest(path, request.QueryString.Value ?? "",
            request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
            request.Headers.TryGetValue("D360-API-KEY", out var key) ? key.ToString() : null));

        var (file, id) = d360 && path == D360FilePath ? (true, request.Query["mid"].ToString())
            : !d360 && path.StartsWith("/files/", StringComparison.Ordinal) ? (true, Uri.UnescapeDataString(path["/files/".Length..]))
            : (false, Uri.UnescapeDataString(path.TrimStart('/')));
        if (faults.TryGetValue((file ? "file" : "lookup", id), out var scripted) && scripted.TryDequeue(out var answer))
        {
            await answer(context);
            return;
        }
        await ServeNormallyAsync(context, id, file);
    }

    private async Task ServeNormallyAsync(HttpContext context, string id, bool file)
    {
        if (!files.TryGetValue(id, out var served))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (file)
        {
            context.Response.ContentType = served.Mime;
            if (!served.Chunked) context.Response.ContentLength = served.Bytes.Length;
            await context.Response.Body.WriteAsync(served.Bytes);
            return;
        }
        var url = d360
            ? $"https://lookaside.fbsbx.com{D360FilePath}?mid={Uri.EscapeDataString(id)}&ext=1&hash=stand-in"
            : $"{BaseUrl}/files/{Uri.EscapeDataString(id)}";
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["messaging_product"] = "whatsapp",
            ["url"] = url,
            ["mime_type"] = served.Mime,
            ["sha256"] = served.Sha256,
            ["file_size"] = served.DeclaredSize is -1 ? null : served.DeclaredSize,
            ["id"] = id,
        }.Where(p => p.Value is not null).ToDictionary()));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
