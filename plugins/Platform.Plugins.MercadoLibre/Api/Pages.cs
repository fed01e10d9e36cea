using System.Net;
using System.Text.Json;
using Platform.Abstractions;

namespace Platform.Plugins.MercadoLibre.Api;

/// <summary>Reads answers: errors by status, unreadable bodies as <see cref="MalformedPageException"/> naming the endpoint.</summary>
internal static class Pages
{
    public const string Marketplace = "Mercado Libre";

    /// <summary>
    /// Sends a Refit call; what the handlers threw (a <see cref="ConnectorAuthException"/>, a network error) is rethrown
    /// as it is rather than wrapped in Refit's ApiRequestException.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Refit.ApiRequestException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }

    /// <summary>The body of <paramref name="response"/> as <typeparamref name="T"/>; <paramref name="valid"/> says whether the documented fields are there.</summary>
    public static async Task<(T Value, string Path)> ReadAsync<T>(HttpResponseMessage response, Func<T, bool> valid, CancellationToken ct) where T : class
    {
        using (response)
        {
            var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "(unknown endpoint)";
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Forbidden)
                throw new ConnectorAuthException("sellerId",
                    $"Mercado Libre refused {path} (403): the authorized user may not read this seller's data. Check the setting 'sellerId' and that the app is authorized by that seller.");
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{Marketplace} answered {path} with {(int)response.StatusCode}: {MalformedPageException.Snippet(body)}", null, response.StatusCode);
            T? value;
            try
            {
                value = JsonSerializer.Deserialize<T>(body);
            }
            catch (JsonException e)
            {
                throw new MalformedPageException(Marketplace, path, body, e);
            }
            if (value is null || !valid(value))
                throw new MalformedPageException(Marketplace, path, body);
            return (value, path);
        }
    }

    /// <summary>One element of a page as <typeparamref name="T"/>, or null with a problem in words (the element is skipped).</summary>
    public static T? Element<T>(JsonElement element, string path, int index, List<string> problems) where T : class
    {
        try
        {
            return element.Deserialize<T>() ?? throw new JsonException("null element");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            problems.Add($"{Marketplace} {path}, result {index}: skipped, it could not be read ({e.Message}): {MalformedPageException.Snippet(element.GetRawText())}");
            return null;
        }
    }
}
