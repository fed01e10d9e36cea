namespace Platform.Abstractions;

/// <summary>
/// The marketplace rejected the store's credentials (401/403, or a token refresh that failed). Retrying will not
/// help: the run fails with this message, which names the setting the merchant must fix.
/// </summary>
public sealed class ConnectorAuthException : Exception
{
    /// <summary>Creates the error; <paramref name="message"/> should name <paramref name="credential"/>.</summary>
    public ConnectorAuthException(string credential, string message, Exception? inner = null)
        : base(message.Contains(credential, StringComparison.Ordinal) ? message : $"{message} (check the setting '{credential}')", inner) =>
        Credential = credential;

    /// <summary>The store setting that holds the rejected credential (for example <c>accessToken</c>).</summary>
    public string Credential { get; }
}

/// <summary>
/// A page the marketplace answered could not be read (not JSON, or not the documented shape). The run fails with
/// this message; the cursor stays at the last page that was read.
/// </summary>
public sealed class MalformedPageException : Exception
{
    /// <summary>Creates the error from the marketplace's name, the endpoint's path and the start of the body.</summary>
    public MalformedPageException(string marketplace, string endpoint, string? body, Exception? inner = null)
        : base($"{marketplace} answered {endpoint} with a page that could not be read{(inner is null ? "" : $" ({inner.Message})")}: {Snippet(body)}", inner)
    {
        Marketplace = marketplace;
        Endpoint = endpoint;
    }

    /// <summary>The marketplace (for example <c>Shopee</c>).</summary>
    public string Marketplace { get; }

    /// <summary>The endpoint's path, without its query (which may hold credentials).</summary>
    public string Endpoint { get; }

    /// <summary>The first 200 characters of <paramref name="body"/>, on one line.</summary>
    public static string Snippet(string? body)
    {
        if (string.IsNullOrEmpty(body))
            return "(empty body)";
        var text = body.ReplaceLineEndings(" ");
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
    }
}
