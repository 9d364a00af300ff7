namespace Coexistence.Model;

/// <summary>
/// What the registry knows of one business number, learned from its webhooks' metadata: its WABA and display number,
/// each as the latest webhook naming it said (<see cref="WabaSeenAt"/>, <see cref="DisplaySeenAt"/>), and when its first
/// and last webhooks were first received. Times past <see cref="FirstSeenAt"/> are kept to the minute
/// (<see cref="Resolution"/>), so that the row is rewritten at most once per number and minute of traffic.
/// </summary>
public sealed record NumberRegistration(string PhoneNumberId, string? WabaId, DateTimeOffset? WabaSeenAt, string? DisplayPhoneNumber,
    DateTimeOffset? DisplaySeenAt, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    public static DateTimeOffset ToResolution(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % Resolution.Ticks, TimeSpan.Zero);

    /// <summary>
    /// This registration after a webhook received at <paramref name="receivedAt"/> naming <paramref name="wabaId"/> and
    /// <paramref name="display"/> (null: not named). A pure function of the set of webhooks seen, whatever their order and
    /// duplicates: first = the earliest, last = the latest minute, the WABA (and display) of the latest minute that named one,
    /// and between two named in the same minute (a number moved at that moment, or a sender's mistake) the greater (ordinal).
    /// </summary>
    public NumberRegistration Seen(string? wabaId, string? display, DateTimeOffset receivedAt)
    {
        var minute = ToResolution(receivedAt);
        var (waba, wabaAt) = Latest((WabaId, WabaSeenAt), (wabaId, minute));
        var (shown, shownAt) = Latest((DisplayPhoneNumber, DisplaySeenAt), (display, minute));
        return new NumberRegistration(PhoneNumberId, waba, wabaAt, shown, shownAt,
            receivedAt < FirstSeenAt ? receivedAt : FirstSeenAt, minute > LastSeenAt ? minute : LastSeenAt);
    }

    public static NumberRegistration First(string phoneNumberId, string? wabaId, string? display, DateTimeOffset receivedAt)
    {
        var minute = ToResolution(receivedAt);
        return new(phoneNumberId, wabaId, wabaId is null ? null : minute, display, display is null ? null : minute, receivedAt, minute);
    }

    private static (string? Value, DateTimeOffset? At) Latest((string? Value, DateTimeOffset? At) known, (string? Value, DateTimeOffset At) seen)
    {
        if (seen.Value is null) return known;
        if (known.Value is null || known.At is not { } at || seen.At > at) return seen;
        if (seen.At < at) return known;
        return string.CompareOrdinal(seen.Value, known.Value) > 0 ? seen : known;
    }
}
