using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Platform.Host.Infrastructure;

/// <summary><c>Platform:Api</c>: limits of the REST API.</summary>
public sealed class ApiOptions
{
    public const string MaxRequestBodyBytesKey = "Platform:Api:MaxRequestBodyBytes";
    public const long MinBodyBytes = 1024;
    public const long MaxBodyBytes = 1L << 30;

    /// <summary>
    /// The largest request body the API (<c>/api</c>) takes; larger requests answer 413. No route takes uploads (the
    /// csv-import plugin reads its file from a path on the host), so one limit fits every route.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public IEnumerable<string> Problems()
    {
        if (MaxRequestBodyBytes is < MinBodyBytes or > MaxBodyBytes)
            yield return $"{MaxRequestBodyBytesKey} is {MaxRequestBodyBytes}: use {MinBodyBytes} to {MaxBodyBytes} bytes, e.g. 1048576 (1 MiB).";
    }
}

/// <summary>Applies <see cref="ApiOptions.MaxRequestBodyBytes"/> to every request under <c>/api</c>, answering 413 with a problem that names the limit and the setting.</summary>
public static class RequestLimits
{
    public static WebApplication UseApiRequestLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<PlatformOptions>>().Value.Api.MaxRequestBodyBytes;
                if (http.Request.ContentLength > limit)
                {
                    await TooLarge(http, limit).ExecuteAsync(http);
                    return;
                }
                // A body without a length (chunked) is cut off by the server at the limit: the endpoint then answers 413 (see Detail).
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            }
            await next(http);
        });
        return app;
    }

    /// <summary>The detail of every 413, also when the body had no length and the server stopped reading it.</summary>
    public static string Detail(long limit) =>
        $"The request body is larger than {limit} bytes, the API's limit: send less, or raise {ApiOptions.MaxRequestBodyBytesKey}.";

    private static IResult TooLarge(HttpContext http, long limit) =>
        TypedResults.Problem(Detail(limit), statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            extensions: new Dictionary<string, object?> { ["limitBytes"] = limit, ["setting"] = ApiOptions.MaxRequestBodyBytesKey });

    /// <summary>Problem details written for a bare 413 (a chunked body cut off while an endpoint read it) say the same.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status != StatusCodes.Status413PayloadTooLarge || context.ProblemDetails.Detail is not null) return;
        var limit = context.HttpContext.RequestServices.GetRequiredService<IOptions<PlatformOptions>>().Value.Api.MaxRequestBodyBytes;
        context.ProblemDetails.Title = "Request body too large";
        context.ProblemDetails.Detail = Detail(limit);
        context.ProblemDetails.Extensions["limitBytes"] = limit;
        context.ProblemDetails.Extensions["setting"] = ApiOptions.MaxRequestBodyBytesKey;
    }
}
