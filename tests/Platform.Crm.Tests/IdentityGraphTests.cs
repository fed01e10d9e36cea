using Platform.Crm.Identity;
using Xunit;

namespace Platform.Crm.Tests;

public sealed class IdentityGraphTests
{
    [Fact]
    public void Accounts_sharing_an_email_or_phone_are_one_customer()
    {
        var g = new IdentityGraph();
        var a = g.Add(IdentityKeys.Of("shopee", "u1", "mei@x.com", null), "shopee store s1");
        var b = g.Add(IdentityKeys.Of("ebay", "e9", "mei@x.com", "+6591234567"), "ebay store s2");
        var c = g.Add(IdentityKeys.Of("woo", "7", null, "+6591234567"), "woo store s3");
        var d = g.Add(IdentityKeys.Of("woo", "8", "other@x.com", null), "woo store s3");
        Assert.True(a.Created);
        Assert.Equal(a.Customer, b.Customer);
        Assert.Equal(a.Customer, c.Customer);
        Assert.NotEqual(a.Customer, d.Customer);
    }

    [Fact]
    public void Same_marketplace_buyer_id_is_the_same_person_but_ids_are_scoped_to_their_marketplace()
    {
        var g = new IdentityGraph();
        var a = g.Add(IdentityKeys.Of("shopee", "123", null, null), "shopee store s1");
        var b = g.Add(IdentityKeys.Of("shopee", "123", null, null), "shopee store s2");
        var c = g.Add(IdentityKeys.Of("ebay", "123", null, null), "ebay store s3");
        Assert.Equal(a.Customer, b.Customer);
        Assert.NotEqual(a.Customer, c.Customer);
    }

    [Fact]
    public void A_bridging_account_merges_into_the_oldest_customer_with_a_reason()
    {
        var g = new IdentityGraph();
        var older = g.Add(IdentityKeys.Of("shopee", "u1", "mei@x.com", null), "shopee store s1").Customer;
        var newer = g.Add(IdentityKeys.Of("ebay", "e1", null, "+6591234567"), "ebay store s2").Customer;
        var bridge = g.Add(IdentityKeys.Of("woo", "w1", "mei@x.com", "+6591234567"), "woo store s3");
        Assert.Equal(older, bridge.Customer);
        var merge = Assert.Single(bridge.Merges);
        Assert.Equal(newer, merge.From);
        Assert.Equal(older, merge.Into);
        Assert.Equal("shared phone …4567 from woo store s3", merge.Reason);
        Assert.Equal(older, g.Survivor(newer));
        Assert.Equal(older, g.Find(IdentityKeys.Buyer("ebay", "e1")));
    }

    [Fact]
    public void Reloaded_graph_continues_where_it_stopped()
    {
        var g = new IdentityGraph();
        g.LoadKey(IdentityKeys.Email("mei@x.com"), 4);
        g.LoadKey(IdentityKeys.Phone("+6591234567"), 7);
        g.LoadMerge(9, 4);
        var r = g.Add(IdentityKeys.Of("woo", "w1", null, "+6591234567"), "woo store s3");
        Assert.Equal(7, r.Customer);
        Assert.Equal(10, g.Add(IdentityKeys.Of("woo", "w2", null, null), "woo store s3").Customer);
        Assert.Equal(4, g.Survivor(9));
    }

    /// <summary>
    /// Property: whatever order the same accounts arrive in, the grouping of accounts into customers is the
    /// same, and equals the connected components computed independently.
    /// </summary>
    [Fact]
    public void Grouping_does_not_depend_on_arrival_order()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var accounts = RandomAccounts(new Random(seed), 60);
            var expected = Components(accounts);
            for (var shuffle = 0; shuffle < 5; shuffle++)
            {
                var rng = new Random(seed * 7919 + shuffle);
                var order = accounts.OrderBy(_ => rng.Next()).ToList();
                var g = new IdentityGraph();
                var customerOf = new Dictionary<string, long>();
                foreach (var a in order) customerOf[a.Id] = g.Add(a.Keys, "test").Customer;
                var actual = customerOf.GroupBy(kv => g.Survivor(kv.Value))
                    .Select(grp => string.Join(",", grp.Select(kv => kv.Key).Order())).Order().ToList();
                Assert.Equal(expected, actual);
            }
        }
    }

    private sealed record Account(string Id, IReadOnlyList<string> Keys);

    private static List<Account> RandomAccounts(Random rng, int n)
    {
        var list = new List<Account>();
        for (var i = 0; i < n; i++)
        {
            var email = rng.Next(3) == 0 ? null : $"p{rng.Next(25)}@x.com";
            var phone = rng.Next(2) == 0 ? null : $"+65900000{rng.Next(25):D2}";
            var market = rng.Next(3) switch { 0 => "shopee", 1 => "ebay", _ => "woo" };
            list.Add(new Account($"a{i}", IdentityKeys.Of(market, $"b{rng.Next(40)}", email, phone)));
        }
        return list;
    }

    /// <summary>Connected components by brute force: an independent oracle.</summary>
    private static List<string> Components(List<Account> accounts)
    {
        var group = accounts.ToDictionary(a => a.Id, a => a.Id);
        bool changed;
        do
        {
            changed = false;
            foreach (var a in accounts)
                foreach (var b in accounts)
                    if (string.CompareOrdinal(group[a.Id], group[b.Id]) < 0 && a.Keys.Intersect(b.Keys).Any())
                    {
                        var from = group[b.Id];
                        foreach (var k in group.Keys.Where(k => group[k] == from).ToList()) group[k] = group[a.Id];
                        changed = true;
                    }
        } while (changed);
        return group.GroupBy(kv => kv.Value).Select(g => string.Join(",", g.Select(kv => kv.Key).Order())).Order().ToList();
    }

    [Fact]
    public void A_split_keeps_the_split_accounts_apart_and_a_manual_merge_joins_them()
    {
        var g = new IdentityGraph();
        var mei = g.Add(IdentityKeys.Of("shopee", "u1", "mei@x.com", null), "shopee store s1").Customer;
        Assert.Equal(mei, g.Add(IdentityKeys.Of("ebay", "e1", "mei@x.com", null), "ebay store s2").Customer);

        var moved = IdentityKeys.Of(new Platform.Crm.Identity.Account("ebay", "s2", "e1", "mei@x.com", null, null, null, "g1"), ChannelScope.None);
        var split = g.Split(mei, IdentityKeys.Of("shopee", "u1", "mei@x.com", null).ToList(), moved.ToList());
        Assert.NotEqual(mei, split);
        Assert.Equal(split, g.Find(moved[0]));
        // The same records again resolve as split; a new account with the email joins the original customer.
        Assert.Equal(split, g.Add(moved, "ebay store s2").Customer);
        Assert.Equal(mei, g.Add(IdentityKeys.Of("woo", "w9", "mei@x.com", null), "woo store s3").Customer);

        var merge = g.MergeByHand(split, mei, "merged by hand");
        Assert.Equal((split, mei), (merge.From, merge.Into));
        Assert.Equal(mei, g.Find(moved[0]));
        Assert.Throws<InvalidOperationException>(() => g.MergeByHand(mei, split, "again"));
    }

    [Fact]
    public void Relay_contacts_link_accounts_of_their_own_store_only()
    {
        var scope = new ChannelScope([@"@marketplace\.amazon\.[a-z.]+$"], [@"\*{2,}"]);
        Platform.Crm.Identity.Account Amazon(string store, string buyer) => new("amazon", store, buyer, "xyz@marketplace.amazon.com", null, "xyz@marketplace.amazon.com", "****1234", null);
        var g = new IdentityGraph();
        var first = g.Add(IdentityKeys.Of(Amazon("s1", "a1"), scope), "amazon store s1").Customer;
        Assert.Equal(first, g.Add(IdentityKeys.Of(Amazon("s1", "a2"), scope), "amazon store s1").Customer);
        Assert.NotEqual(first, g.Add(IdentityKeys.Of(Amazon("s2", "a3"), scope), "amazon store s2").Customer);
        Assert.Contains(IdentityKeys.Of(Amazon("s1", "a1"), scope), k => k == "phone:****1234|store:s1");
        Assert.Throws<ArgumentException>(() => new ChannelScope(["(unclosed"], []));
    }
}
