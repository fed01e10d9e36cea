namespace Platform.Plugins.Sandbox.People;

internal enum NameStyle
{
    ChineseRomanized,
    ChineseCharacters,
    Malay,
    Indian,
    Western,
    Spanish,
}
