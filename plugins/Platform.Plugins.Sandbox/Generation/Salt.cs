namespace Platform.Plugins.Sandbox.Generation;

/// <summary>Separates the hash streams of the things generated from the same keys.</summary>
internal static class Salt
{
    public const ulong Population = 0x5EED_0001;
    public const ulong Person = 0x5EED_0002;
    public const ulong Shopper = 0x5EED_0003;
    public const ulong Reveal = 0x5EED_0004;
    public const ulong Churn = 0x5EED_0005;
    public const ulong Basket = 0x5EED_0006;
    public const ulong DayCount = 0x5EED_0010;
    public const ulong Timeline = 0x5EED_0011;
    public const ulong Buyer = 0x5EED_0012;
    public const ulong Lines = 0x5EED_0013;
    public const ulong Review = 0x5EED_0020;
    public const ulong Chat = 0x5EED_0030;
}
