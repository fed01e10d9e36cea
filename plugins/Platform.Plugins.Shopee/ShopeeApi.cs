using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Platform.Plugins.Shopee;

/// <summary>
/// The Shopee Open Platform v2 endpoints the connector calls (https://open.shopee.com/documents, API v2). The
/// common parameters (partner_id, timestamp, access_token, shop_id, sign) are added by <see cref="ShopeeAuthHandler"/>.
/// Every answer is read as <see cref="IApiResponse{T}"/> so that errors and unreadable bodies reach
/// <see cref="ShopeeConnector"/>, which turns them into the contract's exceptions.
/// </summary>
internal interface IShopeeApi
{
    public const string ShopInfoPath = "/api/v2/shop/get_shop_info";
    public const string OrderListPath = "/api/v2/order/get_order_list";
    public const string OrderDetailPath = "/api/v2/order/get_order_detail";
    public const string CommentPath = "/api/v2/product/get_comment";
    public const string ConversationListPath = "/api/v2/sellerchat/get_conversation_list";
    public const string MessagePath = "/api/v2/sellerchat/get_message";
    public const string RefreshPath = "/api/v2/auth/access_token/get";

    /// <summary>v2.shop.get_shop_info: the shop's name, region and status (fields at the top level).</summary>
    [Get(ShopInfoPath)]
    Task<IApiResponse<ShopInfoDto>> GetShopInfoAsync(CancellationToken cancellationToken);

    /// <summary>v2.order.get_order_list: order_sn of orders whose time_range_field falls in [time_from, time_to] (at most 15 days).</summary>
    [Get(OrderListPath)]
    Task<IApiResponse<ShopeeEnvelope<OrderListDto>>> GetOrderListAsync(
        [AliasAs("time_range_field")] string timeRangeField,
        [AliasAs("time_from")] long timeFrom,
        [AliasAs("time_to")] long timeTo,
        [AliasAs("page_size")] int pageSize,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("response_optional_fields")] string? responseOptionalFields,
        CancellationToken cancellationToken);

    /// <summary>v2.order.get_order_detail: up to 50 orders by order_sn (comma separated).</summary>
    [Get(OrderDetailPath)]
    Task<IApiResponse<ShopeeEnvelope<OrderDetailListDto>>> GetOrderDetailAsync(
        [AliasAs("order_sn_list")] string orderSnList,
        [AliasAs("response_optional_fields")] string responseOptionalFields,
        CancellationToken cancellationToken);

    /// <summary>v2.product.get_comment: the shop's product comments, paged by cursor (no time filter).</summary>
    [Get(CommentPath)]
    Task<IApiResponse<ShopeeEnvelope<CommentListDto>>> GetCommentAsync(
        [AliasAs("cursor")] string cursor,
        [AliasAs("page_size")] int pageSize,
        CancellationToken cancellationToken);

    /// <summary>v2.sellerchat.get_conversation_list: conversations, latest message first.</summary>
    [Get(ConversationListPath)]
    Task<IApiResponse<ShopeeEnvelope<ConversationListDto>>> GetConversationListAsync(
        [AliasAs("direction")] string direction,
        [AliasAs("type")] string type,
        [AliasAs("page_size")] int pageSize,
        [AliasAs("next_timestamp_nano")] long? nextTimestampNano,
        CancellationToken cancellationToken);

    /// <summary>v2.sellerchat.get_message: the messages of one conversation, paged by offset.</summary>
    [Get(MessagePath)]
    Task<IApiResponse<ShopeeEnvelope<MessageListDto>>> GetMessageAsync(
        [AliasAs("conversation_id")] string conversationId,
        [AliasAs("offset")] string? offset,
        [AliasAs("page_size")] int pageSize,
        CancellationToken cancellationToken);

    /// <summary>v2.public.refresh_access_token: new access and refresh tokens (the old refresh token stops working).</summary>
    [Post(RefreshPath)]
    Task<IApiResponse<AccessTokenDto>> RefreshAccessTokenAsync([Body] RefreshRequestDto body, CancellationToken cancellationToken);
}

/// <summary>The common envelope of v2 answers: <c>{"error":"","message":"","response":{…},"request_id":"…"}</c>.</summary>
internal sealed record ShopeeEnvelope<T>
{
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
    [JsonPropertyName("response")] public T? Response { get; init; }
}

/// <summary>An error answer (any endpoint): the fields Shopee always sends.</summary>
internal sealed record ShopeeErrorDto
{
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("msg")] public string? Msg { get; init; }
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
}

internal sealed record ShopInfoDto
{
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("shop_name")] public string? ShopName { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
}

internal sealed record OrderListDto
{
    [JsonPropertyName("more")] public bool More { get; init; }
    [JsonPropertyName("next_cursor")] public string? NextCursor { get; init; }
    [JsonPropertyName("order_list")] public IReadOnlyList<OrderSnDto>? OrderList { get; init; }
}

internal sealed record OrderSnDto
{
    [JsonPropertyName("order_sn")] public string? OrderSn { get; init; }
    [JsonPropertyName("order_status")] public string? OrderStatus { get; init; }
}

/// <summary>get_order_detail's response; the orders are kept as JSON so each record carries its payload as received.</summary>
internal sealed record OrderDetailListDto
{
    [JsonPropertyName("order_list")] public IReadOnlyList<JsonElement>? OrderList { get; init; }
}

internal sealed record OrderDetailDto
{
    [JsonPropertyName("order_sn")] public string? OrderSn { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
    [JsonPropertyName("currency")] public string? Currency { get; init; }
    [JsonPropertyName("total_amount")] public decimal? TotalAmount { get; init; }
    [JsonPropertyName("order_status")] public string? OrderStatus { get; init; }
    [JsonPropertyName("create_time")] public long CreateTime { get; init; }
    [JsonPropertyName("update_time")] public long UpdateTime { get; init; }
    [JsonPropertyName("buyer_user_id"), JsonConverter(typeof(FlexibleStringConverter))] public string? BuyerUserId { get; init; }
    [JsonPropertyName("buyer_username")] public string? BuyerUsername { get; init; }
    [JsonPropertyName("recipient_address")] public RecipientAddressDto? RecipientAddress { get; init; }
    [JsonPropertyName("item_list")] public IReadOnlyList<OrderItemDto>? ItemList { get; init; }
}

internal sealed record RecipientAddressDto
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("phone")] public string? Phone { get; init; }
    [JsonPropertyName("town")] public string? Town { get; init; }
    [JsonPropertyName("district")] public string? District { get; init; }
    [JsonPropertyName("city")] public string? City { get; init; }
    [JsonPropertyName("state")] public string? State { get; init; }
    [JsonPropertyName("region")] public string? Region { get; init; }
    [JsonPropertyName("zipcode")] public string? Zipcode { get; init; }
    [JsonPropertyName("full_address")] public string? FullAddress { get; init; }
}

internal sealed record OrderItemDto
{
    [JsonPropertyName("item_id")] public long ItemId { get; init; }
    [JsonPropertyName("item_name")] public string? ItemName { get; init; }
    [JsonPropertyName("item_sku")] public string? ItemSku { get; init; }
    [JsonPropertyName("model_id")] public long ModelId { get; init; }
    [JsonPropertyName("model_name")] public string? ModelName { get; init; }
    [JsonPropertyName("model_sku")] public string? ModelSku { get; init; }
    [JsonPropertyName("model_quantity_purchased")] public int ModelQuantityPurchased { get; init; }
    [JsonPropertyName("model_original_price")] public decimal? ModelOriginalPrice { get; init; }
    [JsonPropertyName("model_discounted_price")] public decimal? ModelDiscountedPrice { get; init; }
}

internal sealed record CommentListDto
{
    [JsonPropertyName("more")] public bool More { get; init; }
    [JsonPropertyName("next_cursor")] public string? NextCursor { get; init; }
    [JsonPropertyName("item_comment_list")] public IReadOnlyList<JsonElement>? ItemCommentList { get; init; }
}

internal sealed record CommentDto
{
    [JsonPropertyName("comment_id")] public long CommentId { get; init; }
    [JsonPropertyName("comment")] public string? Comment { get; init; }
    [JsonPropertyName("buyer_username")] public string? BuyerUsername { get; init; }
    [JsonPropertyName("order_sn")] public string? OrderSn { get; init; }
    [JsonPropertyName("item_id")] public long ItemId { get; init; }
    [JsonPropertyName("model_id")] public long ModelId { get; init; }
    [JsonPropertyName("create_time")] public long CreateTime { get; init; }
    [JsonPropertyName("rating_star")] public int RatingStar { get; init; }
    [JsonPropertyName("editable")] public string? Editable { get; init; }
    [JsonPropertyName("hidden")] public bool Hidden { get; init; }
    [JsonPropertyName("comment_reply")] public CommentReplyDto? CommentReply { get; init; }
}

internal sealed record CommentReplyDto
{
    [JsonPropertyName("reply")] public string? Reply { get; init; }
    [JsonPropertyName("hidden")] public bool Hidden { get; init; }
    [JsonPropertyName("create_time")] public long? CreateTime { get; init; }
}

internal sealed record ConversationListDto
{
    [JsonPropertyName("conversations")] public IReadOnlyList<ConversationDto>? Conversations { get; init; }
    [JsonPropertyName("page_result")] public ConversationPageResultDto? PageResult { get; init; }
}

internal sealed record ConversationPageResultDto
{
    [JsonPropertyName("page_size")] public int PageSize { get; init; }
    [JsonPropertyName("more")] public bool More { get; init; }
    [JsonPropertyName("next_cursor")] public ConversationNextCursorDto? NextCursor { get; init; }
}

internal sealed record ConversationNextCursorDto
{
    [JsonPropertyName("next_message_time_nano"), JsonConverter(typeof(FlexibleStringConverter))] public string? NextMessageTimeNano { get; init; }
    [JsonPropertyName("conversation_id"), JsonConverter(typeof(FlexibleStringConverter))] public string? ConversationId { get; init; }
}

internal sealed record ConversationDto
{
    [JsonPropertyName("conversation_id"), JsonConverter(typeof(FlexibleStringConverter))] public string? ConversationId { get; init; }
    [JsonPropertyName("to_id")] public long ToId { get; init; }
    [JsonPropertyName("to_name")] public string? ToName { get; init; }
    [JsonPropertyName("shop_id")] public long ShopId { get; init; }
    [JsonPropertyName("unread_count")] public int UnreadCount { get; init; }
    [JsonPropertyName("latest_message_id"), JsonConverter(typeof(FlexibleStringConverter))] public string? LatestMessageId { get; init; }
    [JsonPropertyName("last_message_timestamp")] public long LastMessageTimestamp { get; init; }
}

internal sealed record MessageListDto
{
    [JsonPropertyName("messages")] public IReadOnlyList<JsonElement>? Messages { get; init; }
    [JsonPropertyName("page_result")] public MessagePageResultDto? PageResult { get; init; }
}

internal sealed record MessagePageResultDto
{
    [JsonPropertyName("page_size")] public int PageSize { get; init; }
    [JsonPropertyName("next_offset"), JsonConverter(typeof(FlexibleStringConverter))] public string? NextOffset { get; init; }
    [JsonPropertyName("prev_offset"), JsonConverter(typeof(FlexibleStringConverter))] public string? PrevOffset { get; init; }
}

internal sealed record MessageDto
{
    [JsonPropertyName("message_id"), JsonConverter(typeof(FlexibleStringConverter))] public string? MessageId { get; init; }
    [JsonPropertyName("from_id")] public long FromId { get; init; }
    [JsonPropertyName("to_id")] public long ToId { get; init; }
    [JsonPropertyName("from_shop_id")] public long FromShopId { get; init; }
    [JsonPropertyName("to_shop_id")] public long ToShopId { get; init; }
    [JsonPropertyName("message_type")] public string? MessageType { get; init; }
    [JsonPropertyName("content")] public MessageContentDto? Content { get; init; }
    [JsonPropertyName("conversation_id"), JsonConverter(typeof(FlexibleStringConverter))] public string? ConversationId { get; init; }
    [JsonPropertyName("created_timestamp")] public long CreatedTimestamp { get; init; }
    [JsonPropertyName("source_content")] public MessageSourceContentDto? SourceContent { get; init; }
}

internal sealed record MessageContentDto
{
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("order_sn")] public string? OrderSn { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
}

internal sealed record MessageSourceContentDto
{
    [JsonPropertyName("order_sn")] public string? OrderSn { get; init; }
}

internal sealed record RefreshRequestDto(
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("partner_id")] long PartnerId,
    [property: JsonPropertyName("shop_id")] long ShopId);

internal sealed record AccessTokenDto
{
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }
    [JsonPropertyName("expire_in")] public long ExpireIn { get; init; }
    [JsonPropertyName("partner_id")] public long PartnerId { get; init; }
    [JsonPropertyName("shop_id")] public long ShopId { get; init; }
}

/// <summary>Reads ids Shopee sends as numbers in some answers and as strings in others.</summary>
internal sealed class FlexibleStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected a string or a number, found {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
    }
}
