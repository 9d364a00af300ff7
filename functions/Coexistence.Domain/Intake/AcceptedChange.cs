namespace Coexistence.Intake;

/// <summary>One change of an accepted webhook, as the door reports it (safe to return and to log).</summary>
public sealed record AcceptedChange(int Index, string Field, string? PhoneNumberId, bool Queued, bool ClaimChecked);
