using System.Net;
using System.Text;
using System.Text.Json;
using Azure;
using Coexistence.Functions;
using Coexistence.Tests.EndToEnd;
using Coexistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Functions;

public class ReceiveWebhookTests
{
    private static async Task<(ReceiveWebhook Function, Support.PipelineHarness Harness)> CreateAsync(IntakeOptions? options = null, IChangeQueue? queue = null)
    {
        var h = await PipelineHarness.CreateAsync(options: options,
            configure: queue is null ? null : services => services.AddSingleton(queue));
        return (new ReceiveWebhook(h.Door), h);
    }

    private static async Task<FakeHttpResponse> PostAsync(ReceiveWebhook function, byte[] body) =>
        (FakeHttpResponse)await function.Run(new FakeHttpRequest(body), CancellationToken.None);

    [Fact]
    public async Task An_acceptable_webhook_gets_202_with_a_receipt_after_it_is_queued()
    {
        var (function, h) = await CreateAsync();
        var body = Echo(EchoText("wamid.f/1", "15551234567", 1_700_000_000, "hi"));

        var response = await PostAsync(function, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/json", response.Header("Content-Type"));
        using var receipt = JsonDocument.Parse(response.BodyText);
        Assert.Equal(64, receipt.RootElement.GetProperty("webhookId").GetString()!.Length);
        var change = Assert.Single(receipt.RootElement.GetProperty("changes").EnumerateArray().ToList());
        Assert.Equal("smb_message_echoes", change.GetProperty("field").GetString());
        Assert.Equal(PhoneNumberId, change.GetProperty("phoneNumberId").GetString());
        Assert.True(change.GetProperty("queued").GetBoolean());
        Assert.Equal(1, await DoorTests.CountQueueMessagesAsync(h.Storage));
    }

    [Fact]
    public async Task A_webhook_without_phone_number_id_gets_400_problem_json_pointing_at_the_field()
    {
        var (function, h) = await CreateAsync();
        var body = Encoding.UTF8.GetBytes("""{"id":"e1","event":"smb_app_state_sync","data":{"metadata":{"display_phone_number":"15550783881"},"state_sync":[]}}""");

        var response = await PostAsync(function, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        using var problem = JsonDocument.Parse(response.BodyText);
        Assert.Equal("missing-field", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal("urn:coexistence:problem:missing-field", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/data/metadata/phone_number_id", problem.RootElement.GetProperty("pointer").GetString());
        Assert.Contains("phone_number_id", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, await DoorTests.CountQueueMessagesAsync(h.Storage));
        Assert.Equal(0, await DoorTests.CountBlobsAsync(h.Storage));
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_while_reading_and_nothing_is_stored()
    {
        var (function, h) = await CreateAsync(new IntakeOptions { MaxBodyBytes = 2048 });
        var body = LargeHistoryChunk(1, 20);
        Assert.True(body.Length > 2048);

        var response = await PostAsync(function, body);

        Assert.Equal((HttpStatusCode)413, response.StatusCode);
        using var problem = JsonDocument.Parse(response.BodyText);
        Assert.Equal("body-too-large", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(0, await DoorTests.CountBlobsAsync(h.Storage));
        Assert.Equal(0, await DoorTests.CountQueueMessagesAsync(h.Storage));
    }

    [Fact]
    public async Task When_the_queue_is_down_the_door_answers_503_with_retry_after_never_202()
    {
        var failingQueue = new Mock<IChangeQueue>();
        failingQueue.Setup(q => q.SendAsync(It.IsAny<ChangeMessage>(), It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "queue unavailable"));
        var (function, _) = await CreateAsync(queue: failingQueue.Object);

        var response = await PostAsync(function, Echo(EchoText("wamid.f/2", "15551234567", 1_700_000_000, "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("30", response.Header("Retry-After"));
        using var problem = JsonDocument.Parse(response.BodyText);
        Assert.Equal("storage-unavailable", problem.RootElement.GetProperty("code").GetString());
        failingQueue.Verify(q => q.SendAsync(It.IsAny<ChangeMessage>(), It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()), Times.Once);
    }
}
