namespace Platform.Plugins.Sandbox.People;

/// <summary>A mobile number: calling code and national significant number (digits only).</summary>
internal sealed record Phone(string Country, string CallingCode, string National)
{
    public string E164 => $"+{CallingCode}{National}";

    /// <summary>The number as a store shows it.</summary>
    public string Format(PhoneStyle style) => style switch
    {
        PhoneStyle.E164 => E164,
        PhoneStyle.Spaced => Country switch
        {
            "SG" => $"+65 {National[..4]} {National[4..]}",
            "MY" => $"+60 {National[..2]}-{National[2..5]} {National[5..]}",
            _ => $"+{CallingCode} {National[..3]}-{National[3..6]}-{National[6..]}",
        },
        _ => Country switch
        {
            "SG" => National,
            "MY" => $"0{National[..2]}-{National[2..5]} {National[5..]}",
            _ => $"({National[..3]}) {National[3..6]}-{National[6..]}",
        },
    };
}
