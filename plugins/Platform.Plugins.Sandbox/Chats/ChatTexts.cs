using System.Collections.Immutable;

namespace Platform.Plugins.Sandbox.Chats;

/// <summary>Buyer questions with the seller's answers, and buyers' thanks, in English and Chinese.</summary>
internal static class ChatTexts
{
    /// <summary>The topic of a complaint about a broken item.</summary>
    public const int ComplaintTopic = 0;

    private static readonly ImmutableArray<(string Question, string Answer)> English =
    [
        ("Hi, the item is broken. What can I do?", "So sorry about that! We will send a replacement today."),
        ("When will my order ship?", "Hi! Your order will ship within 2 days."),
        ("Can I change the delivery address?", "Sure, we have updated the address on your order."),
        ("Is this item in stock? I need it by Friday.", "Yes, it is in stock and will arrive before Friday."),
        ("I haven't received my order yet.", "Sorry for the wait, the courier says it arrives tomorrow."),
        ("Can you pack it as a gift?", "Of course, we will gift-wrap it for you."),
    ];

    private static readonly ImmutableArray<(string Question, string Answer)> Chinese =
    [
        ("收到的东西坏了，怎么办？", "非常抱歉！我们今天就给您补发。"),
        ("什么时候发货？", "您好，两天内发货。"),
        ("可以改地址吗？", "可以的，已经帮您修改了地址。"),
        ("请问有现货吗？", "有现货，今天下单明天发。"),
        ("我的订单还没到。", "抱歉久等了，快递显示明天送达。"),
    ];

    private static readonly ImmutableArray<string> EnglishThanks = ["Thanks!", "Ok, thank you.", "Great, thanks a lot!"];
    private static readonly ImmutableArray<string> ChineseThanks = ["谢谢", "好的，谢谢！", "收到，谢谢亲"];

    public static string Question(bool chinese, int topic) => Topic(chinese, topic).Question;

    public static string Answer(bool chinese, int topic) => Topic(chinese, topic).Answer;

    public static string Thanks(bool chinese, int choice)
    {
        var options = chinese ? ChineseThanks : EnglishThanks;
        return options[choice % options.Length];
    }

    private static (string Question, string Answer) Topic(bool chinese, int topic)
    {
        var options = chinese ? Chinese : English;
        return options[topic % options.Length];
    }
}
