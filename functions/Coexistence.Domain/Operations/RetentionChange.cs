namespace Coexistence.Operations;

/// <summary>
/// A change of one of a number's retention overrides (<see cref="RetentionSettings.SetAsync"/>): a number of days (0 keeps
/// forever), or <see cref="Default"/> to remove the override so that the settings' days apply again.
/// </summary>
public sealed record RetentionChange(int? Days)
{
    public static RetentionChange Default { get; } = new((int?)null);

    public static RetentionChange Forever { get; } = new(0);
}
