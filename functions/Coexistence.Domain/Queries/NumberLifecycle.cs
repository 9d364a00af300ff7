using Coexistence.Model;

namespace Coexistence.Queries;

/// <summary>
/// Where a number stands, from its registration and lifecycle events alone (a pure function: the views and the CLI
/// share it).
/// </summary>
public static class NumberLifecycle
{
    /// <summary>How long after onboarding the contacts and history requests can be made (Meta: once each, within 24 hours).</summary>
    public static readonly TimeSpan RequestWindow = TimeSpan.FromHours(24);

    public const string Connected = "connected";
    public const string Disconnected = "disconnected";
    public const string Unknown = "unknown";

    /// <summary>
    /// The events that say whether the number is connected, the latest of which decides (ties: a disconnection wins, the safe
    /// reading); with none, a number that sent webhooks is connected.
    /// </summary>
    public static string ConnectionOf(NumberRegistration? registration, IReadOnlyList<NumberEvent> events)
    {
        var deciding = events.Where(e => AccountEvent.Disconnects(e.Event.Event) || AccountEvent.Connects(e.Event.Event))
            .OrderBy(e => e.Event.OccurredAt).ThenBy(e => AccountEvent.Disconnects(e.Event.Event)).LastOrDefault();
        if (deciding is not null) return AccountEvent.Disconnects(deciding.Event.Event) ? Disconnected : Connected;
        return registration is null ? Unknown : Connected;
    }

    /// <summary>
    /// Onboarding: the earliest event that installs or adds the partner, or the number's first webhook if earlier or there is
    /// none (the pipeline cannot know an onboarding it never heard of: the window it shows may start late, never early).
    /// </summary>
    public static DateTimeOffset? OnboardedAt(NumberRegistration? registration, IReadOnlyList<NumberEvent> events)
    {
        DateTimeOffset? at = registration?.FirstSeenAt;
        foreach (var e in events.Where(e => e.Event.Event is AccountEvent.PartnerAdded or AccountEvent.PartnerAppInstalled))
        {
            var occurred = DateTimeOffset.FromUnixTimeSeconds(e.Event.OccurredAt);
            if (at is null || occurred < at) at = occurred;
        }
        return at;
    }

    public static RequestWindowView? WindowOf(NumberRegistration? registration, IReadOnlyList<NumberEvent> events, bool historyReceived,
        bool contactsReceived, DateTimeOffset now)
    {
        if (OnboardedAt(registration, events) is not { } opens) return null;
        var closes = opens + RequestWindow;
        var open = now < closes;
        string[] pending = !open ? [] : [.. historyReceived ? Array.Empty<string>() : ["history"], .. contactsReceived ? Array.Empty<string>() : ["contacts"]];
        return new RequestWindowView(opens.ToUnixTimeSeconds(), closes.ToUnixTimeSeconds(), open, historyReceived, contactsReceived, pending);
    }

    /// <summary>The number's view from its registration (null: none yet) and events, oldest first: what the read API and the CLI show.</summary>
    public static NumberView ViewOf(string phoneNumberId, NumberRegistration? registration, IReadOnlyList<NumberEvent> events, bool historyReceived,
        bool contactsReceived, DateTimeOffset now)
    {
        var views = events.Select(ToView).ToList();
        return new NumberView(phoneNumberId, registration?.WabaId, registration?.DisplayPhoneNumber, registration?.FirstSeenAt.ToUnixTimeSeconds(),
            registration?.LastSeenAt.ToUnixTimeSeconds(), ConnectionOf(registration, events), views.Count > 0 ? views[^1] : null,
            WindowOf(registration, events, historyReceived, contactsReceived, now), views);
    }

    public static LifecycleEventView ToView(NumberEvent e) =>
        new(e.Event.Event, e.Event.Reason, e.Event.InitiatedBy, e.Event.OccurredAt);
}
