namespace Coexistence.Tests.Support;

/// <summary>A clock that stands still, so that two runs of the same deliveries can be compared row for row.</summary>
public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    public FixedTime() : this(Default) { }
    public override DateTimeOffset GetUtcNow() => now;
}
