using System.Globalization;
using System.Text;
using Coexistence.Http;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Queries;

/// <summary>
/// The read API's decisions (docs/api.md), independent of the Functions runtime: checks the route
/// values and query parameters, reads through <see cref="ConversationQueries"/> (the same service as
/// <c>coexistence show</c>), pages with signed continuation tokens, and answers 200 with
/// <see cref="ViewJson"/> or a 4xx problem document. The HTTP functions only translate.
/// </summary>
public sealed class ReadApi
{
    private readonly ConversationQueries queries;
    private readonly ContinuationTokens tokens;
    private readonly ReadApiOptions options;
    private readonly ILogger<ReadApi> logger;

    internal ReadApi(ConversationQueries queries, ContinuationTokens tokens, ReadApiOptions options, ILogger<ReadApi> logger)
    {
        this.queries = queries;
        this.tokens = tokens;
        this.options = options;
        this.logger = logger;
    }

    public const string InvalidPhoneNumberId = "invalid-phone-number-id";
    public const string CallerUnidentified = "caller-unidentified";
    /// <summary>The header App Service authentication passes the validated caller in (<see cref="RefuseCaller"/>).</summary>
    public const string CallerPrincipalHeader = ReadApiCaller.PrincipalHeader;
    public const string NumberNotAllowed = "number-not-allowed";
    public const string InvalidChatId = "invalid-chat-id";
    public const string InvalidPageSize = "invalid-page-size";
    public const string InvalidContinuationToken = "invalid-continuation-token";
    public const string InvalidParameter = "invalid-parameter";
    public const string MessageNotFound = "message-not-found";
    public const string StatusesNotFound = "statuses-not-found";
    public const string NumberNotFound = "number-not-found";
    public const string MediaNotArchived = "media-not-archived";

    /// <summary>Query parameters (docs/api.md).</summary>
    public const string PageSizeParameter = "pageSize";
    public const string ContinuationTokenParameter = "continuationToken";
    public const string StartParameter = "start";
    public const string IncludeRemovedParameter = "includeRemoved";
    public const string WamidParameter = "wamid";
    /// <summary>The chat of <c>GET numbers/{phoneNumberId}/chats/messages?chatId=...</c> (a query string stays out of request telemetry).</summary>
    public const string ChatIdParameter = "chatId";

    /// <summary>Wamids seen in the wild are well under 100 characters; the limit only keeps table keys bounded.</summary>
    public const int MaxWamidLength = 256;

    public const string ChatsListing = "chats";
    public const string MessagesListing = "messages";
    public const string ContactsListing = "contacts";
    public const string ContactsWithRemovedListing = "contacts+removed";

    /// <summary><c>GET numbers/{phoneNumberId}/chats</c></summary>
    public async Task<HttpAnswer> ListChatsAsync(string? phoneNumberId, Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        if (Paging(query, ChatsListing, phoneNumberId!, null, PagePosition.Start, out var from, out var size) is { } badPaging) return badPaging;
        var page = await queries.GetChatsPageAsync(phoneNumberId!, from, size, cancellationToken);
        return Ok(Wrap(page, ChatsListing, phoneNumberId!, null));
    }

    /// <summary><c>GET numbers/{phoneNumberId}/chats/{chatId}/messages</c>; without a token, <c>start=oldest</c> (default) or <c>latest</c>.</summary>
    public async Task<HttpAnswer> ListMessagesAsync(string? phoneNumberId, string? chatId, Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        if (!ChatIds.TryNormalize(chatId, out var chat))
            return Refuse(new Problem(InvalidChatId, "Invalid chat id",
                $"A chat id is the customer's number (up to {PhoneNumbers.MaxDigits} digits, optionally with '+', spaces or dashes), "
                + "or for a customer known only by business-scoped user id, that id (CC.xxx)."));
        PagePosition first;
        switch (query(StartParameter))
        {
            case null or "" or "oldest": first = PagePosition.Start; break;
            case "latest": first = PagePosition.End; break;
            default: return Refuse(Parameter(StartParameter, "'oldest' or 'latest'"));
        }
        if (Paging(query, MessagesListing, phoneNumberId!, chat, first, out var from, out var size) is { } badPaging) return badPaging;
        var page = await queries.GetMessagesPageAsync(phoneNumberId!, chat, from, size, cancellationToken);
        return Ok(Wrap(page, MessagesListing, phoneNumberId!, chat));
    }

    /// <summary><c>GET numbers/{phoneNumberId}/messages?wamid=...</c>: one message, or 404.</summary>
    public async Task<HttpAnswer> GetMessageAsync(string? phoneNumberId, Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        if (Wamid(query) is not { } wamid) return Refuse(WamidProblem);
        var message = await queries.GetMessageAsync(phoneNumberId!, wamid, cancellationToken);
        return message is null
            ? Refuse(new Problem(MessageNotFound, "Message not found", "No message with this wamid is stored for this number.", null, 404))
            : Ok(message);
    }

    /// <summary>
    /// <c>GET numbers/{phoneNumberId}/media?wamid=...</c>: the message's archived media file (docs/media.md), streamed with the
    /// content type it was stored with; 404 <see cref="MessageNotFound"/>, or 404 <see cref="MediaNotArchived"/> when the
    /// message has no media or its file is not (or can never be) archived.
    /// </summary>
    public async Task<HttpAnswer> GetMediaAsync(string? phoneNumberId, Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        if (Wamid(query) is not { } wamid) return Refuse(WamidProblem);
        if (await queries.OpenMediaAsync(phoneNumberId!, wamid, cancellationToken) is not var (archive, file))
            return Refuse(new Problem(MessageNotFound, "Message not found", "No message with this wamid is stored for this number.", null, 404));
        if (file is null)
            return Refuse(new Problem(MediaNotArchived, "Media not archived", archive switch
            {
                null => "The message has no media with an id.",
                { State: MediaArchiveView.Failed } => "The message's media file can never be archived: " + archive.Error,
                _ => "The message's media file is not archived (yet).",
            }, null, 404));
        return new HttpAnswer(200, file.ContentType, []) { File = (file.Content, file.Length) };
    }

    /// <summary><c>GET numbers/{phoneNumberId}/statuses?wamid=...</c>: the statuses received for one wamid (stored message or not), or 404.</summary>
    public async Task<HttpAnswer> GetStatusesAsync(string? phoneNumberId, Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        if (Wamid(query) is not { } wamid) return Refuse(WamidProblem);
        var statuses = await queries.GetStatusesAsync(phoneNumberId!, wamid, cancellationToken);
        return statuses is null
            ? Refuse(new Problem(StatusesNotFound, "No statuses", "No status of a message with this wamid was received for this number.", null, 404))
            : Ok(statuses);
    }

    /// <summary>
    /// The <c>wamid</c> parameter, or null when it is not one. Form decoding turns an unencoded '+' into a space; wamids never
    /// contain spaces, so it is read back as '+'.
    /// </summary>
    private static string? Wamid(Func<string, string?> query)
    {
        var wamid = query(WamidParameter)?.Replace(' ', '+');
        return string.IsNullOrEmpty(wamid) || wamid.Length > MaxWamidLength || wamid.Any(char.IsControl) ? null : wamid;
    }

    private static Problem WamidProblem => Parameter(WamidParameter, $"a message id (wamid) of 1 to {MaxWamidLength} characters, percent-encoded");

    /// <summary><c>GET numbers/{phoneNumberId}/contacts</c>; <c>includeRemoved=true</c> adds removed contacts and the removal fields.</summary>
    public async Task<HttpAnswer> ListContactsAsync(string? phoneNumberId, Func<string, string?> query, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        bool includeRemoved;
        switch (query(IncludeRemovedParameter)?.ToLowerInvariant())
        {
            case null or "" or "false": includeRemoved = false; break;
            case "true": includeRemoved = true; break;
            default: return Refuse(Parameter(IncludeRemovedParameter, "'true' or 'false'"));
        }
        var listing = includeRemoved ? ContactsWithRemovedListing : ContactsListing;
        if (Paging(query, listing, phoneNumberId!, null, PagePosition.Start, out var from, out var size) is { } badPaging) return badPaging;
        var page = await queries.GetContactsPageAsync(phoneNumberId!, includeRemoved, from, size, cancellationToken);
        return includeRemoved
            ? Ok(Wrap(page, listing, phoneNumberId!, null))
            : Ok(Wrap(page.Select(c => c.ToContactView()), listing, phoneNumberId!, null));
    }

    /// <summary><c>GET numbers/{phoneNumberId}</c>: the number resource (registry, lifecycle events, request window), or 404.</summary>
    public async Task<HttpAnswer> GetNumberAsync(string? phoneNumberId, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        return await queries.GetNumberAsync(phoneNumberId!, cancellationToken) is { } number
            ? Ok(number)
            : Refuse(new Problem(NumberNotFound, "Number not found", "No webhook of this number was processed and no account event names it.", null, 404));
    }

    /// <summary><c>GET numbers/{phoneNumberId}/history</c></summary>
    public async Task<HttpAnswer> GetHistoryStatusAsync(string? phoneNumberId, CancellationToken cancellationToken)
    {
        if (CheckNumber(phoneNumberId) is { } refused) return refused;
        return Ok(await queries.GetHistoryStatusAsync(phoneNumberId!, cancellationToken));
    }

    private HttpAnswer? CheckNumber(string? phoneNumberId) =>
        PhoneNumbers.IsValidPhoneNumberId(phoneNumberId)
            ? null
            : Refuse(new Problem(InvalidPhoneNumberId, "Invalid phone_number_id",
                $"A phone_number_id is 1 to {PhoneNumbers.MaxDigits} digits."));

    /// <summary>The page size and where the page starts: the token's position, or <paramref name="first"/> without a token.</summary>
    private HttpAnswer? Paging(Func<string, string?> query, string listing, string phoneNumberId, string? chatId, PagePosition first,
        out PagePosition from, out int size)
    {
        from = first;
        size = options.DefaultPageSize;
        if (query(PageSizeParameter) is { Length: > 0 } rawSize
            && (!int.TryParse(rawSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > options.MaxPageSize))
            return Refuse(new Problem(InvalidPageSize, "Invalid page size", $"{PageSizeParameter} must be a whole number from 1 to {options.MaxPageSize}."));
        if (query(ContinuationTokenParameter) is { Length: > 0 } token)
        {
            if (tokens.Read(token, listing, phoneNumberId, chatId, out var refusal) is not { } position)
                return Refuse(new Problem(InvalidContinuationToken, "Invalid continuation token", refusal!));
            from = position;
        }
        return null;
    }

    private Page<T> Wrap<T>(QueryPage<T> page, string listing, string phoneNumberId, string? chatId)
    {
        return new Page<T>(page.Items, Token(page.Next), Token(page.Previous));

        string? Token(PagePosition? position) => position is null ? null : tokens.Issue(new PageCursor(listing, phoneNumberId, chatId, position));
    }

    private static Problem Parameter(string name, string expected) =>
        new(InvalidParameter, "Invalid query parameter", $"Query parameter {name} must be {expected}.");

    private static HttpAnswer Ok<T>(T view) =>
        new(200, HttpAnswer.JsonContentType, Encoding.UTF8.GetBytes(ViewJson.Serialize(view)));

    /// <summary>
    /// With <see cref="ReadApiOptions.RequireNumberRoles"/>: a 403 unless the caller (the principal App Service authentication
    /// passes on, <see cref="ReadApiCaller.PrincipalHeader"/>) has a role to read <paramref name="phoneNumberId"/>; null when
    /// the request may go on (always, without the setting). Checked before anything is read.
    /// </summary>
    public HttpAnswer? RefuseCaller(string? principal, string? phoneNumberId)
    {
        if (!options.RequireNumberRoles) return null;
        if (ReadApiCaller.FromPrincipal(principal) is not { } caller)
            return Refuse(new Problem(CallerUnidentified, "The caller is not identified",
                "The read API reads numbers by the caller's app roles, and the request carries no caller identity from App Service authentication.",
                null, 403));
        return caller.MayRead(phoneNumberId)
            ? null
            : Refuse(new Problem(NumberNotAllowed, "The caller may not read this number",
                $"Reading a number needs the app role {ReadApiCaller.ReadAllRole} or {ReadApiCaller.ReadOneRolePrefix}<phone_number_id>.", null, 403));
    }

    private HttpAnswer Refuse(Problem problem)
    {
        // Codes only: route values and parameters may hold customer numbers.
        logger.LogInformation("Read API request refused with {Status}: {ProblemCode}", problem.Status, problem.Code);
        return HttpAnswer.ForProblem(problem);
    }
}
