namespace Platform.Plugins.Sandbox.People;

/// <summary>A piece of a name as written, and its plain ASCII form for email addresses and user names.</summary>
internal readonly record struct NamePart(string Text, string Ascii)
{
    public static implicit operator NamePart(string text) => new(text, text.Replace(" ", "").ToLowerInvariant());

    public static implicit operator NamePart((string Text, string Ascii) pair) => new(pair.Text, pair.Ascii);
}
