namespace Platform.Plugins.Sandbox.People;

/// <summary>How a store writes phone numbers.</summary>
internal enum PhoneStyle
{
    /// <summary>+6591234567</summary>
    E164,
    /// <summary>+65 9123 4567</summary>
    Spaced,
    /// <summary>91234567, without the country prefix (only for buyers of the store's own country).</summary>
    National,
}
