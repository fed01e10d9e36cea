using System.Text.RegularExpressions;
using Platform.Abstractions;
using Platform.Plugins.Sandbox.Tests.Infrastructure;

namespace Platform.Plugins.Sandbox.Tests;

public sealed partial class BuyerIdentityTests
{
    private static readonly ReadWindow Window = new(Harness.Now.AddDays(-60), Harness.Now);

    [GeneratedRegex(@"^\+(65[89]\d{7}|601\d{8}|1[2-9]\d{2}[2-9]\d{6})$")]
    private static partial Regex E164();

    private static async Task<List<BuyerIdentity>> BuyersAsync(string storeId, string settings = """{"people":1000,"ordersPerDay":40}""")
    {
        var connector = Harness.Connect(storeId, new ManualClock(Harness.Now), settings);
        return [.. (await Harness.ReadPagesAsync(connector, StreamName.Orders, null, Window)).Records()
            .Cast<OrderRecord>().Select(o => o.Buyer).DistinctBy(b => b.BuyerId)];
    }

    [Fact]
    public async Task A_store_reveals_emails_and_phones_of_some_buyers_as_it_likes_to_write_them()
    {
        var buyers = await BuyersAsync("store-a");

        Assert.True(buyers.Count > 300, $"only {buyers.Count} buyers");
        Assert.All(buyers, b =>
        {
            Assert.Matches("^sbx-[0-9a-f]{8}-[0-9]+$", b.BuyerId);
            Assert.Contains(b.Country, (string[])["SG", "MY", "US"]);
            Assert.False(string.IsNullOrWhiteSpace(b.City));
            Assert.False(string.IsNullOrWhiteSpace(b.Name));
            if (b.Email is not null)
                Assert.Matches(@"^\s*[^@\s]+@[^@\s]+\.[A-Za-z]+\s*$", b.Email);
        });

        double Share(Func<BuyerIdentity, bool> predicate) => (double)buyers.Count(predicate) / buyers.Count;
        Assert.InRange(Share(b => b.Email is not null), 0.45, 0.75);
        Assert.InRange(Share(b => b.Phone is not null), 0.25, 0.50);
        Assert.InRange(Share(b => b.Email is null && b.Phone is null), 0.12, 0.35);
        Assert.Contains(buyers, b => b.Email is { } e && e != e.Trim());
        Assert.Contains(buyers, b => b.Email is { } e && e != e.ToLowerInvariant());
        Assert.Contains(buyers, b => b.Email is { } e && e == e.Trim().ToLowerInvariant());
        Assert.InRange(Share(b => b.Country == "SG"), 0.55, 0.85);
        Assert.Contains(buyers, b => b.Country == "MY");
        Assert.Contains(buyers, b => b.Country == "US");
    }

    [Fact]
    public async Task Names_mix_english_chinese_and_accented_names()
    {
        var buyers = await BuyersAsync("store-a");

        Assert.Contains(buyers, b => Regex.IsMatch(b.Name!, @"^\p{IsCJKUnifiedIdeographs}+$"));
        Assert.Contains(buyers, b => Regex.IsMatch(b.Name!, "[áéíóúñüëèÁÉÍÓÚÑ]"));
        Assert.Contains(buyers, b => Regex.IsMatch(b.Name!, "^[A-Za-z]+( [A-Za-z]+)+$"));
    }

    [Fact]
    public async Task Phone_formats_depend_on_the_store_and_national_numbers_are_the_store_country_s()
    {
        var styles = new HashSet<string>();
        for (var i = 0; i < 12; i++)
        {
            var buyers = await BuyersAsync($"store-{i}", """{"people":400,"ordersPerDay":15,"country":"SG"}""");
            foreach (var buyer in buyers.Where(b => b.Phone is not null))
            {
                var phone = buyer.Phone!;
                if (!phone.StartsWith('+'))
                {
                    styles.Add("national");
                    Assert.Equal("SG", buyer.Country);
                    Assert.Matches("^[89][0-9]{7}$", phone);
                    continue;
                }
                styles.Add(phone.Contains(' ') ? "spaced" : "e164");
                var digits = "+" + new string([.. phone.Where(char.IsAsciiDigit)]);
                Assert.Matches(E164(), digits);
                var expected = digits.StartsWith("+65", StringComparison.Ordinal) ? "SG" : digits.StartsWith("+60", StringComparison.Ordinal) ? "MY" : "US";
                Assert.Equal(expected, buyer.Country);
            }
        }
        Assert.Equal(["e164", "national", "spaced"], styles.Order());
    }

    [Fact]
    public async Task A_store_in_another_country_gives_foreign_numbers_with_their_prefix()
    {
        for (var i = 0; i < 12; i++)
        {
            var buyers = await BuyersAsync($"store-{i}", """{"people":400,"ordersPerDay":15,"country":"MY"}""");
            Assert.All(buyers.Where(b => b.Phone is { } p && !p.StartsWith('+')), b => Assert.Equal("MY", b.Country));
        }
    }
}
