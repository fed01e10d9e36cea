using Platform.Plugins.MercadoLibre.Tests;
using Xunit;

namespace Platform.Host.Tests.Support;

/// <summary>Steps with a Mercado Libre seller served by <see cref="MercadoLibreFake"/> (not in ApiSteps, which the console tests share without the fake).</summary>
public static class MercadoLibreSteps
{
    /// <summary>PUT store "meli": a Mercado Libre seller served at <paramref name="baseUrl"/> (the fake's app and seller), orders since <paramref name="since"/>.</summary>
    public static async Task PutMercadoLibreStoreAsync(this HttpClient client, string merchant, string baseUrl, DateTimeOffset since, object? schedules = null)
    {
        var response = await client.PutJsonAsync($"/api/v1/merchants/{merchant}/stores/meli", new
        {
            plugin = "mercadolibre",
            displayName = "Mercado Libre AR",
            settings = new
            {
                baseUrl, clientId = MercadoLibreFake.ClientId, clientSecret = MercadoLibreFake.ClientSecret,
                refreshToken = MercadoLibreFake.InitialRefreshToken,
                sellerId = MercadoLibreFake.SellerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            since,
            schedules = schedules ?? new { },
            enabled = true,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
