using System.Net;
using System.Text;
using Platform.Host.Tests.Support;
using Xunit;

namespace Platform.Host.Tests;

/// <summary>
/// <c>Platform:Api:MaxRequestBodyBytes</c> through the real host: a body over the limit answers 413 with a problem
/// naming the limit and the setting, whether it says its length or comes chunked; a body under it is served.
/// </summary>
public sealed class RequestLimitTests(RequestLimitTests.Fixture fixture) : IClassFixture<RequestLimitTests.Fixture>
{
    private const int Limit = 4096;

    public sealed class Fixture : HostFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["Platform:Api:MaxRequestBodyBytes"] = Limit.ToString() };
    }

    private static string StoreBody(int displayNameLength) =>
        $$"""{"plugin":"sandbox","displayName":"{{new string('x', displayNameLength)}}","settings":{"population":1,"people":5},"since":"2026-01-01T00:00:00Z","enabled":false}""";

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.Contains(Limit.ToString(), problem.GetProperty("detail").GetString());
        Assert.Contains("Platform:Api:MaxRequestBodyBytes", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_answers_413_naming_the_limit_and_the_setting()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("limits");
        var response = await api.PutAsync("/api/v1/merchants/limits/stores/big", new StringContent(StoreBody(Limit + 10), Encoding.UTF8, "application/json"));
        await AssertTooLargeAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/merchants/limits/stores/big")).StatusCode);

        // Just under the limit: served as usual.
        var small = await api.PutAsync("/api/v1/merchants/limits/stores/small", new StringContent(StoreBody(Limit - 300), Encoding.UTF8, "application/json"));
        Assert.True(small.StatusCode == HttpStatusCode.Created, await small.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_answers_413_too()
    {
        using var api = fixture.Host.Client();
        await api.CreateMerchantAsync("chunked");
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(StoreBody(Limit * 4))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/merchants/chunked/stores/big") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await AssertTooLargeAsync(await api.SendAsync(request));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/merchants/chunked/stores/big")).StatusCode);
    }
}
