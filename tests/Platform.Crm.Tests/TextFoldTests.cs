using Platform.Crm.Text;
using Xunit;

namespace Platform.Crm.Tests;

public sealed class TextFoldTests
{
    [Theory]
    [InlineData("  Nguyễn   Thị Mai ", "nguyen thi mai")]
    [InlineData("JOSÉ Ñúñez", "jose nunez")]
    [InlineData("Đặng Văn Lâm", "dang van lam")]
    [InlineData("Zoë O'Brien", "zoe o brien")]
    [InlineData("陈美玲", "陈美玲")]
    [InlineData("Mei.Tan@Example.com", "mei.tan@example.com")]
    [InlineData(null, "")]
    public void Folds_case_accents_and_spacing(string? input, string expected) => Assert.Equal(expected, TextFold.Fold(input));
}
