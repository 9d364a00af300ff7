namespace Coexistence.Tests.Webhooks;

public class PhoneNumbersTests
{
    [Theory]
    [InlineData("15551234567", "15551234567")]
    [InlineData("+44 7700 900123", "447700900123")]
    [InlineData("49-151-23456789", "4915123456789")]
    [InlineData("+1 555-078-3881", "15550783881")]
    [InlineData("  +49 151 2345 6789 ", "4915123456789")]
    [InlineData("+1 (555) 123-4567", "15551234567")]
    [InlineData("+44\u00A07700.900.123", "447700900123")]
    [InlineData("12345678901234567890123456789012", "12345678901234567890123456789012")]
    public void Normalise_keeps_only_digits(string raw, string expected)
    {
        Assert.True(PhoneNumbers.TryNormalize(raw, out var digits));
        Assert.Equal(expected, digits);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+")]
    [InlineData(" - ")]
    [InlineData("12#34")]
    [InlineData("abc")]
    [InlineData("../123")]
    [InlineData("123?x")]
    [InlineData("123/456")]
    [InlineData("123\\456")]
    [InlineData("123\u0000")]
    [InlineData("123\n456")]
    [InlineData("１２３")] // full-width digits are not ASCII digits
    [InlineData("٣٤٥")] // Arabic-Indic digits
    [InlineData("123456789012345678901234567890123")] // 33 digits
    [InlineData("1234567890123456789012345678901234567890")] // 40 digits
    public void Normalise_refuses_anything_that_is_not_a_phone_number(string? raw)
    {
        Assert.False(PhoneNumbers.TryNormalize(raw, out var digits));
        Assert.Equal("", digits);
    }

    [Fact]
    public void Normalise_refuses_very_long_input_even_if_mostly_separators()
    {
        Assert.False(PhoneNumbers.TryNormalize(new string(' ', 200) + "1", out _));
    }

    [Theory]
    [InlineData("106540352242922", true)]
    [InlineData("1", true)]
    [InlineData("12345678901234567890123456789012", true)]
    [InlineData("123456789012345678901234567890123", false)]
    [InlineData("+106540352242922", false)]
    [InlineData("106 540 352 242 922", false)]
    [InlineData("106-540352242922", false)]
    [InlineData("../123", false)]
    [InlineData("12#3", false)]
    [InlineData("123?x", false)]
    [InlineData("1065\u000740352", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Phone_number_id_must_already_be_digits(string? value, bool valid)
    {
        Assert.Equal(valid, PhoneNumbers.IsValidPhoneNumberId(value));
    }

    [Theory]
    [InlineData("15551234567", "***4567")]
    [InlineData("4915123456789", "***6789")]
    [InlineData("12345", "***2345")]
    [InlineData("1234", "****")]
    [InlineData("12", "**")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Mask_shows_at_most_the_last_four_digits(string? digits, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.Mask(digits));
    }

    [Fact]
    public void Mask_never_reveals_more_than_four_digits_of_a_customer_number()
    {
        foreach (var number in new[] { Corpus.Alice, Corpus.Oliver, Corpus.Lena })
        {
            var masked = PhoneNumbers.Mask(number);
            Assert.Equal(4, masked.Count(char.IsDigit));
            Assert.DoesNotContain(number[..^4], masked);
        }
    }
}
