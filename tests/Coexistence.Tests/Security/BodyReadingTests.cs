using Coexistence.Tests.Support;
using static Coexistence.Tests.Support.WebhookBuilder;

namespace Coexistence.Tests.Security;

/// <summary>
/// How the door reads a body: Content-Length only presizes the buffer, the limit is enforced on the bytes that
/// arrive, and whatever the header says, the body read is the body sent.
/// </summary>
public class BodyReadingTests
{
    private const int Limit = 4096;

    /// <summary>Serves its bytes a few at a time, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] bytes, int step) : Stream
    {
        private int position;
        public int Served => position;
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, step), bytes.Length - position);
            Array.Copy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    public static TheoryData<int, long?, int> Reads => new()
    {
        // body length, Content-Length, bytes per read
        { 0, null, 100 },
        { 1, null, 1 },
        { 3000, null, 7 },
        { Limit, null, 1000 },
        { 3000, 3000, 7 },       // as announced
        { 3000, 3000, 5000 },
        { 3000, 10, 64 },        // longer than announced: still read to the end
        { 3000, 0, 64 },
        { 10, 3000, 64 },        // shorter than announced
        { 3000, 1L << 40, 512 }, // an absurd header: the buffer is capped at the limit
        { Limit, Limit, 333 },
        { Limit, Limit + 1, 333 },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task The_body_read_is_the_body_sent_whatever_the_header_says(int length, long? declared, int step)
    {
        var sent = Bytes(length);

        var read = await WebhookDoor.ReadLimitedAsync(new TrickleStream(sent, step), Limit, declared, default);

        Assert.NotNull(read);
        Assert.Equal(sent, read.Value.ToArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(100L)]          // a header that understates the body
    [InlineData((long)Limit)]
    [InlineData(1L << 40)]
    public async Task A_body_one_byte_over_the_limit_is_refused_whatever_the_header_says(long? declared)
    {
        var stream = new TrickleStream(Bytes(Limit + 1), 1000);

        Assert.Null(await WebhookDoor.ReadLimitedAsync(stream, Limit, declared, default));
        Assert.True(stream.Served <= Limit + WebhookDoor.ChunkBytes, $"read {stream.Served} bytes");
    }

    [Theory]
    [InlineData("2048", 2048L)]
    [InlineData("0", 0L)]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("-5", null)]
    [InlineData("12abc", null)]
    [InlineData(" 12", null)]
    [InlineData("99999999999999999999", null)]
    public void Content_length_is_read_only_when_it_is_a_plain_number(string? header, long? expected)
    {
        Assert.Equal(expected, WebhookDoor.DeclaredLength(header));
    }

    [Fact]
    public async Task A_webhook_whose_content_length_understates_it_is_accepted_and_archived_whole()
    {
        var door = await DoorHarness.CreateAsync();
        var body = Echo(EchoText("wamid.cl/1", "15551234567", 1_700_000_000, "understated"));

        var response = await door.PostAsync(body, ("Content-Length", "12"));

        Assert.Equal(202, response.Status);
        var archived = new List<string>();
        await foreach (var blob in door.Pipeline.Storage.Container(door.Pipeline.Storage.Names.RawArchiveContainer).GetBlobsAsync()) archived.Add(blob.Name);
        Assert.Equal(body, (await door.Pipeline.Archive.ReadAsync(Assert.Single(archived), default)).ToArray());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_even_when_its_content_length_is_under_it()
    {
        var door = await DoorHarness.CreateAsync(options: new IntakeOptions { MaxBodyBytes = Limit });
        var body = LargeHistoryChunk(2, 20);
        Assert.True(body.Length > Limit);

        var response = await door.PostAsync(body, ("Content-Length", "1000"));

        Assert.Equal(413, response.Status);
        Assert.Equal((0, 0, 0), await door.StoredAsync());
    }
}
