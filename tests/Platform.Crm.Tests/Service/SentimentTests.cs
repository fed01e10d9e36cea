using System.Text;
using Platform.Crm.Service;
using Xunit;
using Xunit.Abstractions;

namespace Platform.Crm.Tests.Service;

public sealed class SentimentTests
{
    private static double S(string text) => Sentiment.OfText(text).Score;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public void No_text_scores_zero(string? text) => Assert.Equal(default, Sentiment.OfText(text));

    [Theory]
    [InlineData("The parcel is on the table.", SentimentLanguage.English)]
    [InlineData("订单号 123456", SentimentLanguage.Chinese)]
    [InlineData("12345 !!! ???", SentimentLanguage.Unknown)]
    public void Text_without_known_words_scores_zero(string text, SentimentLanguage language) =>
        Assert.Equal(new SentimentScore(0, language, 0), Sentiment.OfText(text));

    [Theory]
    [InlineData("good", "not good")]
    [InlineData("it works", "it doesn't work")]
    [InlineData("it works", "it doesnt work")]
    [InlineData("great seller", "never again, not a great seller")]
    [InlineData("好", "不好")]
    [InlineData("满意", "不满意")]
    [InlineData("满意", "不是很满意")]
    [InlineData("推荐", "不推荐")]
    [InlineData("好用", "一点也不好用")]
    public void Negation_turns_positive_negative(string positive, string negated)
    {
        Assert.True(S(positive) > 0, positive);
        Assert.True(S(negated) < 0, negated);
    }

    [Theory]
    [InlineData("bad", "not bad")]
    [InlineData("no problems at all")]
    [InlineData("没有问题")]
    [InlineData("不是不好")]
    public void Negated_negative_is_not_negative(string text, string? negated = null)
    {
        if (negated is null) Assert.True(S(text) > 0, text);
        else
        {
            Assert.True(S(text) < 0, text);
            Assert.True(S(negated) > 0, negated);
        }
    }

    [Fact]
    public void Not_very_satisfied_is_milder_than_dissatisfied()
    {
        Assert.True(S("不是很满意") < 0);
        Assert.True(S("不是很满意") > S("不满意"));
        Assert.True(S("not very good") > S("bad"));
    }

    [Theory]
    [InlineData("good", "very good", "slightly good")]
    [InlineData("bad", "extremely bad", "somewhat bad")]
    [InlineData("好", "非常好", "有点好")]
    [InlineData("差", "太差", "有点差")]
    [InlineData("贵", "好贵", "有点贵")]
    public void Intensifiers_raise_and_dampeners_lower_the_magnitude(string plain, string stronger, string weaker)
    {
        Assert.True(Math.Abs(S(stronger)) > Math.Abs(S(plain)), stronger);
        Assert.True(Math.Abs(S(weaker)) < Math.Abs(S(plain)), weaker);
        Assert.Equal(Math.Sign(S(plain)), Math.Sign(S(stronger)));
        Assert.Equal(Math.Sign(S(plain)), Math.Sign(S(weaker)));
    }

    [Theory]
    [InlineData("The box was nice but the phone is broken", false)]
    [InlineData("The box was damaged but the phone works great", true)]
    [InlineData("包装很好，但是质量很差", false)]
    [InlineData("物流有点慢，但是质量非常好", true)]
    public void The_clause_after_but_weighs_more(string text, bool positive) => Assert.Equal(positive, S(text) > 0);

    [Fact]
    public void Exclamation_marks_push_away_from_zero()
    {
        Assert.True(S("great!!!") > S("great"));
        Assert.True(S("terrible!!!") < S("terrible"));
        Assert.True(S("太好了！！") > S("太好了"));
    }

    [Theory]
    [InlineData("👍", true)]
    [InlineData("😊😊", true)]
    [InlineData("❤️", true)]
    [InlineData("👍🏽", true)]
    [InlineData(":)", true)]
    [InlineData("😡", false)]
    [InlineData("👎", false)]
    [InlineData(":(", false)]
    [InlineData("thanks :)", true)]
    [InlineData("收到了 😊", true)]
    public void Emoji_and_emoticons_are_scored(string text, bool positive)
    {
        var score = Sentiment.OfText(text);
        Assert.True(score.MatchedTerms > 0, text);
        Assert.Equal(positive, score.Score > 0);
    }

    [Fact]
    public void Emoji_only_text_is_unknown_language_scored_from_emoji()
    {
        var score = Sentiment.OfText("👍👍");
        Assert.Equal(SentimentLanguage.Unknown, score.Language);
        Assert.True(score.Score > 0);
        Assert.Equal(new SentimentScore(0, SentimentLanguage.Unknown, 0), Sentiment.OfText("📦🚚"));
    }

    [Fact]
    public void Emoticon_lookalikes_in_urls_and_times_do_not_count()
    {
        Assert.Equal(0, Sentiment.OfText("see https://shop.example/item at 10:30").MatchedTerms);
    }

    [Theory]
    [InlineData("สินค้าดีมาก ส่งเร็ว")]
    [InlineData("المنتج ممتاز والتوصيل سريع")]
    [InlineData("배송이 빠르고 좋아요")]
    [InlineData("とても良い商品です")]
    public void Other_languages_score_zero(string text) =>
        Assert.Equal(new SentimentScore(0, SentimentLanguage.Unknown, 0), Sentiment.OfText(text));

    [Fact]
    public void Other_languages_still_count_emoji() => Assert.True(S("สินค้าดีมาก 👍") > 0);

    [Theory]
    [InlineData("Great product, fast shipping", SentimentLanguage.English)]
    [InlineData("质量很好，物流快", SentimentLanguage.Chinese)]
    [InlineData("质量很好 good quality", SentimentLanguage.Chinese)]
    [InlineData("Great product, 质量好", SentimentLanguage.English)]
    public void Language_is_detected_and_mixed_text_scores_both_parts(string text, SentimentLanguage language)
    {
        var score = Sentiment.OfText(text);
        Assert.Equal(language, score.Language);
        Assert.True(score.Score > 0);
        Assert.True(score.MatchedTerms >= 2);
    }

    [Theory]
    [InlineData("It never arrived")]
    [InlineData("Package never arrived, I want a refund")]
    [InlineData("no refund yet")]
    [InlineData("The item was damaged and not as described")]
    [InlineData("Fake, broken after one day. Waste of money.")]
    [InlineData("Don't waste your money")]
    [InlineData("still waiting for my order")]
    [InlineData("收到破损了，要退款")]
    [InlineData("假货，差评")]
    [InlineData("还没收到货")]
    [InlineData("质量差，退货")]
    [InlineData("不给退款")]
    [InlineData("客服不理人，太坑了")]
    public void Complaints_are_negative(string text) => Assert.True(S(text) < 0, text);

    [Theory]
    [InlineData("Great, thanks!")]
    [InlineData("Received it, works perfectly. Thank you")]
    [InlineData("Arrived quickly and as described")]
    [InlineData("couldn't be happier")]
    [InlineData("好评，物流快，推荐")]
    [InlineData("收到了，很满意，谢谢")]
    [InlineData("没想到这么好用")]
    [InlineData("质量不错，下次还会再来")]
    public void Praise_is_positive(string text) => Assert.True(Sentiment.IsPositive(S(text)), text);

    [Fact]
    public void Neutral_words_are_not_read_as_the_sentiment_terms_inside_them()
    {
        Assert.Equal(0, Sentiment.OfText("快递到了吗").MatchedTerms); // 快递 is not 快
        Assert.Equal(0, Sentiment.OfText("差不多明天到").MatchedTerms); // 差不多 is not 差
        Assert.Equal(0, Sentiment.OfText("I would like to change the address").MatchedTerms);
    }

    [Fact]
    public void Rating_wins_when_text_and_rating_disagree()
    {
        Assert.True(Sentiment.OfReview("great, thanks", 1) < 0);
        Assert.True(Sentiment.OfReview("好评", 1) < 0);
        Assert.True(Sentiment.OfReview("not bad", 5) > 0);
        Assert.True(Sentiment.OfReview("a bit small", 5) > 0);
        Assert.True(Sentiment.OfReview("terrible", 4) > 0);
    }

    [Fact]
    public void Agreeing_text_and_rating_combine()
    {
        Assert.True(Sentiment.OfReview("excellent!", 5) > Sentiment.OfReview("ok", 5) - 1e-9);
        Assert.True(Sentiment.OfReview("awful", 1) < -0.5);
        Assert.InRange(Sentiment.OfReview("excellent!!!", 5), -1, 1);
    }

    [Theory]
    [InlineData("Great product", true)]
    [InlineData("Broken on arrival", false)]
    [InlineData("很满意", true)]
    [InlineData("太差了", false)]
    public void Three_stars_follow_the_text(string text, bool positive)
    {
        Assert.Equal(S(text), Sentiment.OfReview(text, 3));
        Assert.Equal(positive, Sentiment.OfReview(text, 3) > 0);
    }

    [Theory]
    [InlineData(null, 1, -1.0)]
    [InlineData("", 2, -0.5)]
    [InlineData("   ", 3, 0.0)]
    [InlineData("order 42", 4, 0.5)]
    [InlineData(null, 5, 1.0)]
    public void Without_text_the_rating_decides(string? text, int rating, double expected) =>
        Assert.Equal(expected, Sentiment.OfReview(text, rating));

    [Fact]
    public void A_rating_outside_one_to_five_is_ignored()
    {
        Assert.Equal(S("great"), Sentiment.OfReview("great", 0));
        Assert.Equal(0, Sentiment.OfReview(null, 9));
    }

    [Theory]
    [InlineData(0.3, true)]
    [InlineData(0.9, true)]
    [InlineData(0.29, false)]
    [InlineData(0, false)]
    [InlineData(-0.8, false)]
    [InlineData(double.NaN, false)]
    public void IsPositive_is_a_threshold(double score, bool positive) => Assert.Equal(positive, Sentiment.IsPositive(score));

    [Fact]
    public void Score_stays_in_range_for_random_text()
    {
        var pieces = new[]
        {
            "good", "bad", "not", "very", "never", "but", "!", "?", ",", " ", "  ", "'", "n't", "-", ":)", ":(", "<3",
            "好", "不", "差", "很", "非常", "但是", "不是很", "满意", "退款", "！", "，", "。", "👍", "😡", "❤️", "\uFE0F",
            "\uD83D", "\uDC4D", "🏽", "\u200D", "ดี", "ممتاز", "ÉÀ", "HELP", "GREAT", "x", "0", "123", "\n", "\t", "(", ")",
            "^_^", "http://", "…", "～", "好贵", "never arrived", "as described", "a", "z",
        };
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            var count = random.Next(0, 60);
            for (var i = 0; i < count; i++)
            {
                if (random.Next(10) == 0) text.Append((char)random.Next(0, 0xFFFF));
                else text.Append(pieces[random.Next(pieces.Length)]);
            }
            var score = Sentiment.OfText(text.ToString());
            Assert.False(double.IsNaN(score.Score), text.ToString());
            Assert.InRange(score.Score, -1, 1);
            Assert.True(score.MatchedTerms > 0 || score.Score == 0);
            for (var rating = 0; rating <= 6; rating++) Assert.InRange(Sentiment.OfReview(text.ToString(), rating), -1, 1);
        }
    }

    [Fact]
    public void Long_text_is_read_up_to_the_limit()
    {
        var score = Sentiment.OfText(string.Concat(Enumerable.Repeat("great ", 100_000)));
        Assert.InRange(score.Score, 0.99, 1);
    }
}
