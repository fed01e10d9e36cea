using Platform.Crm.Value;
using Xunit;

namespace Platform.Crm.Tests.Value;

public sealed class SummaryBuilderTests
{
    private static readonly DateOnly D0 = new(2024, 1, 1);

    [Fact]
    public void Follows_the_cdnow_rules()
    {
        var log = new[]
        {
            new Transaction("a", D0, 10m),
            new Transaction("a", D0, 5m), // same first day: not a repeat
            new Transaction("a", D0.AddDays(7), 20m),
            new Transaction("a", D0.AddDays(7), 4m), // merged: one purchase worth 24
            new Transaction("a", D0.AddDays(14), 6m),
            new Transaction("a", D0.AddDays(30), 99m), // holdout
            new Transaction("a", D0.AddDays(31), 1m), // holdout
            new Transaction("a", D0.AddDays(90), 1m), // after the holdout
            new Transaction("b", D0.AddDays(21), 3m), // first purchase on the last calibration day
            new Transaction("c", D0.AddDays(22), 3m), // first purchase after calibration: left out
        };
        var s = SummaryBuilder.Build(log, D0.AddDays(21), D0.AddDays(60));
        Assert.Equal(["a", "b"], s.Select(c => c.CustomerId));
        Assert.Equal(new CustomerSummary("a", 2, 2, 3, 15, 2), s[0]);
        Assert.Equal(new CustomerSummary("b", 0, 0, 0, 0, 0), s[1]);
        var days = SummaryBuilder.Build(log, D0.AddDays(21), daysPerUnit: 1);
        Assert.Equal(new CustomerSummary("a", 2, 14, 21, 15, 0), days[0]);
    }
}
