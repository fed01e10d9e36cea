using Platform.Abstractions;

namespace Platform.Plugins.Example;

/// <summary>A store's settings. Never print them: they hold the API key.</summary>
internal sealed record XmplSettings(Uri BaseUrl, string ApiKey)
{
    public const string ApiKeyName = "apiKey";

    public static XmplSettings From(ConnectorSettings settings)
    {
        var raw = settings.GetRequiredString("baseUrl").Trim();
        if (!Uri.TryCreate(raw.TrimEnd('/') + "/", UriKind.Absolute, out var url))
            throw new InvalidOperationException($"The store setting 'baseUrl' must be an absolute URL (it is '{raw}').");
        return new XmplSettings(url, settings.GetRequiredString(ApiKeyName));
    }

    /// <inheritdoc />
    public override string ToString() => $"Example Marketplace at {BaseUrl}";
}
