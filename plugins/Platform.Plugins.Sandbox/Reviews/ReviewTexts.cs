using System.Collections.Immutable;

namespace Platform.Plugins.Sandbox.Reviews;

/// <summary>What buyers write for each rating, and what the seller answers, in English and Chinese.</summary>
internal static class ReviewTexts
{
    private static readonly ImmutableArray<ImmutableArray<string>> English =
    [
        ["Arrived broken, want a refund.", "Wrong item sent and the seller does not answer.", "Terrible quality, never buying again.", "Fake product, complete waste of money."],
        ["Not as described, disappointed.", "Poor quality, it broke after a week.", "Took three weeks to arrive and the box was crushed."],
        ["It's okay, nothing special.", "Average quality for the price.", "Works, but the instructions are missing."],
        ["Good product, delivery took a bit long.", "Nice, but the box was slightly dented.", "Value for money."],
        ["Great quality, fast delivery!", "Exactly as described. Will buy again.", "Excellent seller, well packed.", "Love it!"],
    ];

    private static readonly ImmutableArray<ImmutableArray<string>> Chinese =
    [
        ["质量太差，要退货。", "收到就是坏的，要求退款！", "发错货了，客服也不回复。"],
        ["和图片不一样，很失望。", "质量一般，用了一周就坏了。"],
        ["一般般吧。", "还行，凑合用。"],
        ["东西不错，就是物流慢了点。", "性价比高。"],
        ["质量很好，物流很快！", "和描述一致，会回购。", "包装很好，卖家很贴心。", "非常满意！"],
    ];

    private static readonly ImmutableArray<string> EnglishThanks = ["Thank you for your support!", "Thanks for the kind words, see you again soon."];
    private static readonly ImmutableArray<string> EnglishApology = ["Sorry for the trouble, we have sent you a message to make it right.", "Thanks for the feedback, we are looking into it."];
    private static readonly ImmutableArray<string> ChineseThanks = ["感谢您的支持！", "谢谢亲的好评，欢迎再次光临！"];
    private static readonly ImmutableArray<string> ChineseApology = ["非常抱歉，我们已私信您处理。", "感谢反馈，我们会改进。"];

    public static string Text(int rating, bool chinese, int choice)
    {
        if (choice < 0)
            return "";
        var options = (chinese ? Chinese : English)[rating - 1];
        return options[choice % options.Length];
    }

    public static string Reply(int rating, bool chinese, int choice)
    {
        var options = rating >= 4
            ? chinese ? ChineseThanks : EnglishThanks
            : chinese ? ChineseApology : EnglishApology;
        return options[choice % options.Length];
    }
}
