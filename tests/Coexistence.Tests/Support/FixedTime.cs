namespace Coexistence.Tests.Support;

/// <summary>A clock that stands still, so that two runs of the same deliveries can be compared row for row.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    public FixedTime() : this(Default) { }
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>A clock a test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
