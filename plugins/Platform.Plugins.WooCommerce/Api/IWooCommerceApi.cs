using Refit;

namespace Platform.Plugins.WooCommerce.Api;

/// <summary>
/// The WooCommerce REST API v3 calls the connector makes (https://woocommerce.github.io/woocommerce-rest-api-docs/).
/// Paths are relative to <c>{baseUrl}/wp-json/wc/v3</c>. Answers are read raw: the connector needs the paging
/// headers (<c>X-WP-Total</c>, <c>X-WP-TotalPages</c>) and wraps unreadable bodies itself.
/// </summary>
internal interface IWooCommerceApi
{
    /// <summary>List all orders, oldest change first (dates_are_gmt: the bounds are compared with <c>date_modified_gmt</c>).</summary>
    [Get("/orders")]
    Task<HttpResponseMessage> ListOrdersAsync(
        [AliasAs("modified_after")] string modifiedAfter,
        [AliasAs("modified_before")] string modifiedBefore,
        [AliasAs("dates_are_gmt")] string datesAreGmt,
        [AliasAs("orderby")] string orderBy,
        [AliasAs("order")] string order,
        [AliasAs("per_page")] int perPage,
        [AliasAs("page")] int page,
        CancellationToken cancellationToken);

    /// <summary>One order, newest first: enough to prove the key can read orders.</summary>
    [Get("/orders")]
    Task<HttpResponseMessage> ProbeOrdersAsync([AliasAs("per_page")] int perPage, CancellationToken cancellationToken);

    /// <summary>List all product reviews written in a window (after/before are compared in the site's time zone).</summary>
    [Get("/products/reviews")]
    Task<HttpResponseMessage> ListReviewsAsync(
        [AliasAs("after")] string after,
        [AliasAs("before")] string before,
        [AliasAs("orderby")] string orderBy,
        [AliasAs("order")] string order,
        [AliasAs("per_page")] int perPage,
        [AliasAs("page")] int page,
        CancellationToken cancellationToken);
}
