using Refit;

namespace Platform.Plugins.Ebay;

/// <summary>
/// eBay's OAuth token endpoint (refresh-token grant). Answers are read by hand (<see cref="HttpResponseMessage"/>):
/// eBay's error bodies say which credential is wrong.
/// </summary>
internal interface IEbayOAuthApi
{
    /// <summary>POST /identity/v1/oauth2/token with Basic client credentials and a form body.</summary>
    [Post("/identity/v1/oauth2/token")]
    Task<HttpResponseMessage> RefreshAsync(
        [Header("Authorization")] string authorization,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        CancellationToken cancellationToken);
}

/// <summary>The eBay REST calls the connector makes; the bearer token is added by <see cref="EbayAuthHandler"/>.</summary>
internal interface IEbayApi
{
    /// <summary>Sell Fulfillment v1 getOrders: <c>filter=lastmodifieddate:[from..to]</c>, limit 1–200, offset.</summary>
    [Get("/sell/fulfillment/v1/order")]
    Task<HttpResponseMessage> GetOrdersAsync(
        [AliasAs("filter")] string? filter,
        [AliasAs("limit")] int limit,
        [AliasAs("offset")] int offset,
        CancellationToken cancellationToken);

    /// <summary>Commerce Feedback v1 getFeedback: feedback a user received, newest first.</summary>
    [Get("/commerce/feedback/v1/feedback")]
    Task<HttpResponseMessage> GetFeedbackAsync(
        [AliasAs("user_id")] string userId,
        [AliasAs("feedback_type")] string feedbackType,
        [AliasAs("limit")] int limit,
        [AliasAs("offset")] int offset,
        CancellationToken cancellationToken);

    /// <summary>Commerce Message v1 getConversations: conversations with activity since <paramref name="startTime"/>.</summary>
    [Get("/commerce/message/v1/conversation")]
    Task<HttpResponseMessage> GetConversationsAsync(
        [AliasAs("conversation_type")] string conversationType,
        [AliasAs("start_time")] string? startTime,
        [AliasAs("limit")] int limit,
        [AliasAs("offset")] int offset,
        CancellationToken cancellationToken);

    /// <summary>Commerce Message v1 getConversation: the messages of one conversation.</summary>
    [Get("/commerce/message/v1/conversation/{conversationId}")]
    Task<HttpResponseMessage> GetConversationAsync(
        string conversationId,
        [AliasAs("conversation_type")] string conversationType,
        [AliasAs("limit")] int limit,
        [AliasAs("offset")] int offset,
        CancellationToken cancellationToken);
}
