using System.CommandLine;
using Coexistence.Webhooks;

namespace Coexistence.Cli;

/// <summary>The <c>phone_number_id</c> argument the per-number commands take: 1 to 32 digits, else a usage error (exit 2).</summary>
internal static class PhoneNumberIdArgument
{
    public static Argument<string> Create()
    {
        var argument = new Argument<string>("phone_number_id") { Description = "The business number's phone_number_id (digits only)." };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!PhoneNumbers.IsValidPhoneNumberId(value))
                result.AddError($"Invalid phone_number_id '{value}': it must be 1 to {PhoneNumbers.MaxDigits} digits.");
        });
        return argument;
    }
}
