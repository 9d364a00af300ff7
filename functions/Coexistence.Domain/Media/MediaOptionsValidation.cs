using Microsoft.Extensions.Options;

namespace Coexistence.Media;

/// <summary>Checks section <c>Media</c> at start-up (<see cref="MediaOptions.Problem"/>): the first problem found, never a secret's value.</summary>
internal sealed class MediaOptionsValidation : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
