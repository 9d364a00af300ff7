namespace Coexistence.Tests.Webhooks;

public class UserIdsTests
{
    [Theory]
    [InlineData("US.13491208655302741918")]
    [InlineData("US.ENT.11815799212886844830")]
    [InlineData("BR.a")]
    [InlineData("DE.AbC123xyz")]
    public void Documented_shapes_are_valid(string id)
    {
        Assert.True(UserIds.IsValid(id));
        Assert.True(ChatIds.TryNormalize(id, out var chatId));
        Assert.Equal(id, chatId);
    }

    [Fact]
    public void Up_to_128_characters_after_the_country_code()
    {
        Assert.True(UserIds.IsValid("US." + new string('7', 128)));
        Assert.True(UserIds.IsValid("US.ENT." + new string('7', 128)));
        Assert.False(UserIds.IsValid("US." + new string('7', 129)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("13491208655302741918")]
    [InlineData("us.13491208655302741918")]
    [InlineData("USA.1349")]
    [InlineData("US.")]
    [InlineData("US.ENT.")]
    [InlineData("US.1349-1208")]
    [InlineData("US.1349/../x")]
    [InlineData("US.1349|c|x")]
    [InlineData("US.13 49")]
    [InlineData("US.1349\u00e9")]
    [InlineData("U1.1349")]
    public void Anything_else_is_refused(string? id)
    {
        Assert.False(UserIds.IsValid(id));
        if (id is not null && !PhoneNumbers.TryNormalize(id, out _)) Assert.False(ChatIds.TryNormalize(id, out _));
    }

    [Fact]
    public void A_chat_id_is_a_phone_in_digits_first()
    {
        Assert.True(ChatIds.TryNormalize("+44 7700 900123", out var chatId));
        Assert.Equal("447700900123", chatId);
    }
}
