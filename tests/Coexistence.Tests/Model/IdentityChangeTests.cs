namespace Coexistence.Tests.Model;

/// <summary>
/// Where a chat ends after changes of number or user id (docs/data-model.md, "Customer identity"): expected chats
/// worked out by hand from the rule (follow the latest change out of an id, then only later ones).
/// </summary>
public class IdentityChangeTests
{
    private const string P1 = "4915123456789", P2 = "4915199999999", P3 = "4915177777777";
    private const string U1 = "DE.1111", U2 = "DE.2222";
    private static readonly Func<string, string?> NoLinks = _ => null;

    private static string Resolve(string chatId, Func<string, string?>? links, params IdentityChange[] changes) =>
        IdentityChange.Resolve(chatId, changes, links ?? NoLinks);

    [Fact]
    public void Without_a_change_a_chat_stays_and_a_linked_user_id_goes_to_its_phone()
    {
        Assert.Equal(P1, Resolve(P1, null));
        Assert.Equal(P1, Resolve(U1, id => id == U1 ? P1 : null));
        Assert.Equal(U2, Resolve(U2, id => id == U1 ? P1 : null));
    }

    [Fact]
    public void A_chain_of_changes_ends_at_its_last_id_in_any_order_of_the_set()
    {
        IdentityChange a = new(P1, P2, 100), b = new(P2, P3, 200);
        Assert.Equal(P3, Resolve(P1, null, a, b));
        Assert.Equal(P3, Resolve(P1, null, b, a));
        Assert.Equal(P3, Resolve(P2, null, a, b));
    }

    [Fact]
    public void A_change_earlier_than_the_one_that_led_to_an_id_is_not_followed()
    {
        // P1 became P2 at 200; P2 had been someone's old number until 100 (it became P3 then): P1's chat ends in P2.
        Assert.Equal(P2, Resolve(P1, null, new(P1, P2, 200), new(P2, P3, 100)));
    }

    [Fact]
    public void A_number_changed_back_ends_where_the_latest_change_says()
    {
        IdentityChange there = new(P1, P2, 100), back = new(P2, P1, 200);
        Assert.Equal(P1, Resolve(P1, null, there, back));
        Assert.Equal(P1, Resolve(P2, null, back, there));
        // Changed again from P1, later still.
        Assert.Equal(P3, Resolve(P2, null, there, back, new(P1, P3, 300)));
    }

    [Fact]
    public void The_latest_of_two_changes_out_of_one_id_wins_and_at_the_same_time_the_greater_id()
    {
        Assert.Equal(P3, Resolve(P1, null, new(P1, P3, 200), new(P1, P2, 100)));
        // "4915199999999" (P2) sorts after "4915177777777" (P3).
        Assert.Equal(P2, Resolve(P1, null, new(P1, P2, 100), new(P1, P3, 100)));
        Assert.Equal(P2, Resolve(P1, null, new(P1, P3, 100), new(P1, P2, 100)));
    }

    [Fact]
    public void A_change_of_user_id_moves_the_chat_of_the_phone_that_user_id_had_and_a_new_link_takes_it_on()
    {
        IdentityChange change = new(U1, U2, 100);
        Assert.Equal(U2, Resolve(P1, id => id == U1 ? P1 : null, change));
        Assert.Equal(U2, Resolve(U1, id => id == U1 ? P1 : null, change));
        // The new user id is linked to a new phone: everything ends there.
        Assert.Equal(P2, Resolve(P1, id => id switch { U1 => P1, U2 => P2, _ => null }, change));
    }
}
