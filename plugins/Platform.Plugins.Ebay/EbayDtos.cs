using System.Text.Json.Serialization;

namespace Platform.Plugins.Ebay;

// Wire shapes, named exactly as eBay documents them:
//  - OAuth: developer.ebay.com/api-docs/static/oauth-refresh-token-request.html
//  - Sell Fulfillment v1 getOrders: developer.ebay.com/api-docs/sell/fulfillment/resources/order/methods/getOrders
//    (OrderSearchPagedCollection, Order, Buyer, ExtendedContact, Amount, LineItem, CancelStatus)
//  - Commerce Feedback v1 getFeedback: developer.ebay.com/api-docs/commerce/feedback/resources/feedback/methods/getFeedback
//    (GetFeedbackResponse: feedbackEntries + pagination; FeedbackDetail)
//  - Commerce Message v1: developer.ebay.com/api-docs/commerce/message/resources/conversation/methods/getConversations
//    and getConversation (ConversationDetail, MessageDetail)

internal sealed record EbayTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

internal sealed record EbayOAuthError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record EbayErrorResponse([property: JsonPropertyName("errors")] IReadOnlyList<EbayError>? Errors);

internal sealed record EbayError(
    [property: JsonPropertyName("errorId")] int ErrorId,
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("longMessage")] string? LongMessage);

// ---- Sell Fulfillment API ---------------------------------------------------------------------------------------

internal sealed record EbayAmount(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("currency")] string? Currency);

internal sealed record EbayPhone([property: JsonPropertyName("phoneNumber")] string? PhoneNumber);

internal sealed record EbayAddress(
    [property: JsonPropertyName("addressLine1")] string? AddressLine1,
    [property: JsonPropertyName("city")] string? City,
    [property: JsonPropertyName("stateOrProvince")] string? StateOrProvince,
    [property: JsonPropertyName("postalCode")] string? PostalCode,
    [property: JsonPropertyName("countryCode")] string? CountryCode);

internal sealed record EbayContact(
    [property: JsonPropertyName("fullName")] string? FullName,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("primaryPhone")] EbayPhone? PrimaryPhone,
    [property: JsonPropertyName("contactAddress")] EbayAddress? ContactAddress);

internal sealed record EbayBuyer(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("taxAddress")] EbayAddress? TaxAddress,
    [property: JsonPropertyName("buyerRegistrationAddress")] EbayContact? BuyerRegistrationAddress);

internal sealed record EbayPricingSummary(
    [property: JsonPropertyName("total")] EbayAmount? Total,
    [property: JsonPropertyName("priceSubtotal")] EbayAmount? PriceSubtotal,
    [property: JsonPropertyName("deliveryCost")] EbayAmount? DeliveryCost);

internal sealed record EbayCancelStatus([property: JsonPropertyName("cancelState")] string? CancelState);

internal sealed record EbayLineItem(
    [property: JsonPropertyName("lineItemId")] string? LineItemId,
    [property: JsonPropertyName("legacyItemId")] string? LegacyItemId,
    [property: JsonPropertyName("sku")] string? Sku,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("lineItemCost")] EbayAmount? LineItemCost);

internal sealed record EbayShippingStep([property: JsonPropertyName("shipTo")] EbayContact? ShipTo);

internal sealed record EbayFulfillmentStartInstruction([property: JsonPropertyName("shippingStep")] EbayShippingStep? ShippingStep);

internal sealed record EbayOrder(
    [property: JsonPropertyName("orderId")] string? OrderId,
    [property: JsonPropertyName("legacyOrderId")] string? LegacyOrderId,
    [property: JsonPropertyName("creationDate")] DateTimeOffset? CreationDate,
    [property: JsonPropertyName("lastModifiedDate")] DateTimeOffset? LastModifiedDate,
    [property: JsonPropertyName("orderFulfillmentStatus")] string? OrderFulfillmentStatus,
    [property: JsonPropertyName("orderPaymentStatus")] string? OrderPaymentStatus,
    [property: JsonPropertyName("cancelStatus")] EbayCancelStatus? CancelStatus,
    [property: JsonPropertyName("buyer")] EbayBuyer? Buyer,
    [property: JsonPropertyName("pricingSummary")] EbayPricingSummary? PricingSummary,
    [property: JsonPropertyName("lineItems")] IReadOnlyList<EbayLineItem>? LineItems,
    [property: JsonPropertyName("fulfillmentStartInstructions")] IReadOnlyList<EbayFulfillmentStartInstruction>? FulfillmentStartInstructions);

// ---- Commerce Feedback API --------------------------------------------------------------------------------------

internal sealed record EbayFeedbackComment([property: JsonPropertyName("commentText")] string? CommentText);

internal sealed record EbayFeedbackUser(
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("role")] string? Role);

internal sealed record EbayOrderLineItemSummary(
    [property: JsonPropertyName("orderLineItemId")] string? OrderLineItemId,
    [property: JsonPropertyName("listingId")] string? ListingId,
    [property: JsonPropertyName("listingTitle")] string? ListingTitle);

internal sealed record EbayFeedback(
    [property: JsonPropertyName("feedbackId")] string? FeedbackId,
    [property: JsonPropertyName("commentType")] string? CommentType,
    [property: JsonPropertyName("feedbackComment")] EbayFeedbackComment? FeedbackComment,
    [property: JsonPropertyName("feedbackEnteredDate")] DateTimeOffset? FeedbackEnteredDate,
    [property: JsonPropertyName("providerUserDetail")] EbayFeedbackUser? ProviderUserDetail,
    [property: JsonPropertyName("orderLineItemSummary")] EbayOrderLineItemSummary? OrderLineItemSummary,
    [property: JsonPropertyName("replyComment")] EbayFeedbackComment? ReplyComment);

// ---- Commerce Message API ---------------------------------------------------------------------------------------

internal sealed record EbayMessage(
    [property: JsonPropertyName("messageId")] string? MessageId,
    [property: JsonPropertyName("messageBody")] string? MessageBody,
    [property: JsonPropertyName("senderUsername")] string? SenderUsername,
    [property: JsonPropertyName("recipientUsername")] string? RecipientUsername,
    [property: JsonPropertyName("createdDate")] DateTimeOffset? CreatedDate,
    [property: JsonPropertyName("subject")] string? Subject);

internal sealed record EbayConversation(
    [property: JsonPropertyName("conversationId")] string? ConversationId,
    [property: JsonPropertyName("conversationType")] string? ConversationType,
    [property: JsonPropertyName("referenceId")] string? ReferenceId,
    [property: JsonPropertyName("referenceType")] string? ReferenceType,
    [property: JsonPropertyName("latestMessage")] EbayMessage? LatestMessage);
