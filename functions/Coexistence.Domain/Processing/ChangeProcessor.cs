using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coexistence.Queueing;
using Coexistence.Storage;
using Coexistence.Webhooks;
using Microsoft.Extensions.Logging;

namespace Coexistence.Processing;

/// <summary>
/// The consumers' work, independent of the transport: read one queue message, fetch its payload,
/// and fan it out into the tables by kind. Transient storage failures are thrown (the transport
/// retries the message); a message that can never succeed comes back as <see cref="ProcessingOutcome.Rejected"/>.
/// </summary>
public sealed class ChangeProcessor(
    ClaimCheckStore claimChecks,
    MessageStore messages,
    ContactStore contacts,
    HistorySyncStore historySync,
    QuarantineStore quarantine,
    ILogger<ChangeProcessor> logger)
{
    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 64 };

    public async Task<ProcessingResult> ProcessAsync(ReadOnlyMemory<byte> queueMessage, CancellationToken cancellationToken)
    {
        if (!ChangeMessageFormat.TryParse(queueMessage, out var message, out var error))
            return await RejectAsync(null, queueMessage, $"unreadable queue message: {error}", cancellationToken);

        var payload = message!.Payload;
        if (message.PayloadBlob is { } blobName)
        {
            if (await claimChecks.TryReadAsync(blobName, cancellationToken) is not { } stored)
                return await RejectAsync(message, queueMessage, $"claim-check blob {blobName} does not exist", cancellationToken);
            payload = stored;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, PayloadOptions);
        }
        catch (JsonException e)
        {
            return await RejectAsync(message, queueMessage, $"payload is not JSON: {e.Message}", cancellationToken);
        }

        using (document)
        {
            var value = document.RootElement;
            var result = message.Kind switch
            {
                WebhookKind.History => await ProcessHistoryAsync(message, value, cancellationToken),
                WebhookKind.ContactSync => await ProcessContactsAsync(message, value, cancellationToken),
                WebhookKind.MessageEchoes => await ProcessEchoesAsync(message, value, cancellationToken),
                _ => ProcessingResult.Rejected($"unknown kind {message.Kind}"),
            };
            logger.LogInformation(
                "Processed {Kind} change {MessageId} for {PhoneNumberId}: {Messages} messages, {Facets} facets, {Contacts} contacts, {Chunks} chunks, {Quarantined} quarantined, {TableBatches} batches",
                message.Kind, message.MessageId, message.PhoneNumberId, result.Messages, result.Facets, result.Contacts, result.Chunks, result.Quarantined, result.TableBatches);
            return result;
        }
    }

    private async Task<ProcessingResult> ProcessHistoryAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = HistoryPayloadParser.Parse(value, message.DisplayPhoneNumber, message.MessageId);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);

        var batches = 0;
        var messageCount = 0;
        foreach (var (chunk, chunkMessages) in payload.Chunks)
        {
            // Messages before the chunk row: a chunk is only counted once its messages are stored.
            batches += await messages.WriteMessagesAsync(message.PhoneNumberId, chunkMessages, cancellationToken);
            await historySync.RecordChunkAsync(message.PhoneNumberId, chunk, message.WebhookId, message.ReceivedAt, cancellationToken);
            messageCount += chunkMessages.Count;
        }
        foreach (var decline in payload.Declines)
            await historySync.RecordDeclineAsync(message.PhoneNumberId, decline, message.ReceivedAt, cancellationToken);
        await messages.ApplyFacetsAsync(message.PhoneNumberId, payload.MediaFollowUps, cancellationToken);

        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Messages: messageCount, Facets: payload.MediaFollowUps.Count, Chunks: payload.Chunks.Count,
            Quarantined: payload.Quarantined.Count, TableBatches: batches);
    }

    private async Task<ProcessingResult> ProcessContactsAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = ContactSyncPayloadParser.Parse(value, message.ReceivedAt);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);
        await contacts.ApplyAsync(message.PhoneNumberId, payload.Actions, cancellationToken);
        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Contacts: payload.Actions.Count, Quarantined: payload.Quarantined.Count);
    }

    private async Task<ProcessingResult> ProcessEchoesAsync(ChangeMessage message, JsonElement value, CancellationToken cancellationToken)
    {
        var payload = MessageEchoesPayloadParser.Parse(value);
        await quarantine.RecordItemsAsync(message, payload.Quarantined, cancellationToken);
        var batches = await messages.WriteMessagesAsync(message.PhoneNumberId, payload.Messages, cancellationToken);
        await messages.ApplyFacetsAsync(message.PhoneNumberId, payload.Facets, cancellationToken);
        return new ProcessingResult(ProcessingOutcome.Processed, message.Kind, message.PhoneNumberId,
            Messages: payload.Messages.Count, Facets: payload.Facets.Count, Quarantined: payload.Quarantined.Count, TableBatches: batches);
    }

    private async Task<ProcessingResult> RejectAsync(ChangeMessage? message, ReadOnlyMemory<byte> queueMessage, string reason, CancellationToken cancellationToken)
    {
        var messageId = message?.MessageId ?? Convert.ToHexStringLower(SHA256.HashData(queueMessage.Span));
        logger.LogError("Queue message {MessageId} for {PhoneNumberId} can never be processed: {Reason}", messageId, message?.PhoneNumberId, reason);
        await quarantine.RecordMessageAsync(message?.PhoneNumberId, messageId, reason, Encoding.UTF8.GetString(queueMessage.Span), cancellationToken);
        return ProcessingResult.Rejected(reason, message?.Kind, message?.PhoneNumberId);
    }
}
