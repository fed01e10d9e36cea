using Platform.Crm.Service;
using Xunit;

namespace Platform.Crm.Tests.Service;

public class ComplaintWordsTests
{
    private static readonly ComplaintWords Words = ComplaintWords.Default;

    public static TheoryData<string> Defaults => new(ComplaintWords.DefaultTerms);

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Each_default_term_is_found_alone_in_a_sentence(string term)
    {
        var sentence = term.Any(c => c > 0x2E80) ? $"你好，{term}。谢谢" : $"Hello, {term}! Thanks";
        Assert.Equal([term], Words.Find(sentence));
    }

    [Fact]
    public void English_terms_match_whole_words_with_simple_suffixes()
    {
        Assert.Equal(["refund"], Words.Find("Refund!"));
        Assert.Equal(["refund"], Words.Find("two refunds"));
        Assert.Equal(["refund"], Words.Find("it was refunded"));
        Assert.Equal(["refund"], Words.Find("refunding now"));
        Assert.Empty(Words.Find("the fee is refundable"));
        Assert.Empty(Words.Find("non-refundable fee"));
        Assert.Empty(Words.Find("an unbroken record"));
        Assert.Empty(Words.Find("complaintless")); // not a word the suffix rule makes
        Assert.Equal(["scam"], Words.Find("I got scammed"));
        Assert.Equal(["fake"], Words.Find("stop faking"));
        Assert.Equal(["return"], Words.Find("Returning it"));
        Assert.Equal(["wrong item"], Words.Find("two wrong items arrived"));
        Assert.Equal(["never arrived"], Words.Find("it never-arrived!!"));
    }

    [Fact]
    public void Case_accents_and_width_are_folded()
    {
        Assert.Equal(["refund"], Words.Find("REFUND please"));
        Assert.Equal(["refund"], Words.Find("ReFuNd"));
        Assert.Equal(["refund"], Words.Find("ＲＥＦＵＮＤ please"));   // full-width Latin
        Assert.Equal(["broken"], Words.Find("it is brökén"));
        Assert.Equal(["never arrived"], Words.Find("NEVER    Arrived"));
    }

    [Fact]
    public void Chinese_terms_match_inside_a_sentence()
    {
        Assert.Equal(["没收到", "退款"], Words.Find("我还没收到货，要求退款！"));
        Assert.Equal(["沒收到", "退貨"], Words.Find("我還沒收到包裹，想退貨"));
        Assert.Equal(["质量差", "差评"], Words.Find("质量差，给差评"));
        Assert.Equal(["refund"], Words.Find("我要refund谢谢")); // a Latin word next to Chinese is a whole word
    }

    [Fact]
    public void Several_terms_come_in_the_order_of_their_first_occurrence_each_once()
    {
        Assert.Equal(["broken", "refund", "scam"], Words.Find("The item is broken. I want a refund, this is a scam. Refund now, broken!"));
        Assert.Equal(["破损", "refund"], Words.Find("外包装破损 refund please 破损"));
    }

    [Fact]
    public void Nothing_is_found_in_null_empty_or_emoji_only_text()
    {
        Assert.Empty(Words.Find(null));
        Assert.Empty(Words.Find(""));
        Assert.Empty(Words.Find("   "));
        Assert.Empty(Words.Find("😡😡🤬👎"));
        Assert.Empty(Words.Find("Thanks, arrived quickly, great seller"));
        Assert.Equal(["refund"], Words.Find("refund😡"));
        Assert.Empty(Words.Find("bad \uD800 surrogate")); // a lone surrogate does not throw
    }

    [Fact]
    public void Custom_terms_are_reported_as_given_and_empty_ones_are_refused()
    {
        var words = new ComplaintWords(["Wrong Item", "wrong item", "𠀀问题"]);
        Assert.Equal(["Wrong Item"], words.Find("two WRONG items"));
        Assert.Equal(["𠀀问题"], words.Find("有𠀀问题的"));
        var empty = Assert.Throws<ArgumentException>(() => new ComplaintWords(["refund", " "]));
        Assert.Contains("terms[1]", empty.Message);
        Assert.Equal("terms", empty.ParamName);
        Assert.Contains("terms[2]", Assert.Throws<ArgumentException>(() => new ComplaintWords(["refund", "scam", "!!!"])).Message);
    }
}
