using System.Runtime.CompilerServices;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;

namespace Platform.Plugins.MercadoLibre.Reading;

/// <summary>The two sources of the chats stream, read one after the other within a run.</summary>
internal enum ChatsPhase
{
    /// <summary>Listing questions and their answers.</summary>
    Questions = 0,
    /// <summary>Post-sale messages of the packs of orders updated since <see cref="ChatsCursor.After"/>.</summary>
    Messages = 1,
}

/// <summary>
/// Where the chats stream stands: every question, answer and post-sale message sent after <see cref="After"/>
/// (exclusive) was returned. While a run is being paged, <see cref="Until"/> holds its bound and <see cref="Phase"/>
/// what is being read: in the questions phase <see cref="Offset"/> (in the newest-first list); in the messages phase
/// <see cref="OrdersOffset"/> (the orders page), <see cref="OrderIndex"/> (the order within it) and
/// <see cref="PackOffset"/> (the message offset within that order's pack). A cursor of the questions-only reader
/// (<c>{after, until, offset}</c>) reads as a questions-phase cursor.
/// </summary>
internal sealed record ChatsCursor(
    DateTimeOffset After,
    DateTimeOffset? Until = null,
    int Offset = 0,
    ChatsPhase Phase = ChatsPhase.Questions,
    int OrdersOffset = 0,
    int OrderIndex = 0,
    int PackOffset = 0);

/// <summary>
/// The chats stream: listing questions first, then post-sale messages, both for the same time range
/// (<see cref="ChatsCursor.After"/>, until]; the cursor moves to <c>until</c> only once both are read.
/// <para>
/// Questions (GET /questions/search?seller_id=…&amp;api_version=4&amp;sort_fields=date_created&amp;sort_types=DESC): the
/// search has no date filter, so questions are read newest first and the read stops once questions are older than the
/// cursor by more than <see cref="AnswerLookback"/> (answers to such questions can still be new). A question is an
/// inbound message at its date_created; its answer an outbound one at the answer's date_created. Newest first is also
/// robust to questions arriving during the read: they shift the list down (a re-read), never up (a gap).
/// </para>
/// <para>
/// Post-sale messages (GET /messages/packs/{pack_id}/sellers/{seller_id}?tag=post_sale&amp;mark_as_read=false): there is
/// no search of messages by date, so the packs read are those of the orders last updated at or after the cursor
/// (GET /orders/search?order.date_last_updated.from=…&amp;sort=date_asc, no upper bound: an order only ever moves
/// later, so the result set only grows while it is paged; growth shifts orders down, a re-read, never a gap). Each
/// pack is paged by offset and its messages sent in (after, until] are returned.
/// </para>
/// </summary>
internal sealed class ChatsReader(IMercadoLibreApi api, string sellerId)
{
    public const int QuestionsLimit = 50;
    public const int OrdersLimit = 50;
    /// <summary>The page size the post-sale messages documentation shows (its default).</summary>
    public const int MessagesLimit = 10;
    /// <summary>/orders/search reaches offset + limit ≤ 10,000.</summary>
    public const int MaxOrders = 10_000;
    public static readonly TimeSpan AnswerLookback = TimeSpan.FromDays(7);

    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var windowUntil = Time.Ms(window.Until);
        var at = cursor?.Read<ChatsCursor>() ?? new ChatsCursor(Time.Ms(window.Since) - Time.Tick);
        if (at.Until is { } u && u > windowUntil)
            at = new ChatsCursor(at.After);
        var until = at.Until ?? windowUntil;
        if (at.After >= until)
            yield break;

        if (at.Phase == ChatsPhase.Questions)
        {
            await foreach (var page in QuestionsAsync(at, until, ct).ConfigureAwait(false))
                yield return page;
            at = new ChatsCursor(at.After, until, Phase: ChatsPhase.Messages);
        }
        await foreach (var page in MessagesAsync(at, until, ct).ConfigureAwait(false))
            yield return page;
    }

    private async IAsyncEnumerable<RecordPage> QuestionsAsync(ChatsCursor at, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        // Resume one page early: questions deleted meanwhile would otherwise shift unread ones behind the offset.
        var offset = Math.Max(0, at.Offset - QuestionsLimit);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stopBefore = at.After - AnswerLookback;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var response = await Pages.SendAsync(() => api.SearchQuestions(sellerId, 4, "date_created", "DESC", offset, QuestionsLimit, ct)).ConfigureAwait(false);
            var (page, path) = await Pages.ReadAsync<QuestionsSearchResponse>(response, p => p.Questions is not null, ct).ConfigureAwait(false);
            var problems = new List<string>();
            var records = new List<SourceRecord>();
            var older = false;
            for (var i = 0; i < page.Questions!.Count; i++)
            {
                if (Pages.Element<QuestionDto>(page.Questions[i], path, offset + i, problems) is not { } question)
                    continue;
                if (question.DateCreated <= stopBefore)
                    older = true;
                foreach (var message in new[] { Map.Question(question, page.Questions[i]), Map.Answer(question, page.Questions[i]) })
                {
                    if (message is not null && message.SentAt > at.After && message.SentAt <= until && seen.Add(message.ExternalId))
                        records.Add(message);
                }
            }
            offset += page.Questions.Count;
            var done = older || page.Questions.Count == 0 || offset >= page.Total;
            // Questions done: the messages phase of the same range comes next; the time cursor moves only after it.
            var checkpoint = done
                ? new ChatsCursor(at.After, until, Phase: ChatsPhase.Messages)
                : new ChatsCursor(at.After, until, offset);
            yield return new RecordPage(records, StreamCursor.From(checkpoint)) { Problems = problems };
            if (done)
                yield break;
        }
    }

    private async IAsyncEnumerable<RecordPage> MessagesAsync(ChatsCursor at, DateTimeOffset until, [EnumeratorCancellation] CancellationToken ct)
    {
        var seenMessages = new HashSet<string>(StringComparer.Ordinal);
        var seenPacks = new HashSet<long>();
        var ordersOffset = at.OrdersOffset;
        var orderIndex = at.OrderIndex;
        var packOffset = at.PackOffset;
        var problems = new List<string>();
        var from = Time.Format(at.After);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var response = await Pages.SendAsync(() => api.SearchOrdersSince(sellerId, from, "date_asc", ordersOffset, OrdersLimit, ct)).ConfigureAwait(false);
            var (orders, ordersPath) = await Pages.ReadAsync<OrdersSearchResponse>(response, p => p.Results is not null && p.Paging is not null, ct).ConfigureAwait(false);
            var results = orders.Results!;
            var next = ordersOffset + results.Count;
            var last = results.Count == 0 || next >= orders.Paging!.Total || next >= MaxOrders;

            for (var i = Math.Min(orderIndex, results.Count); i < results.Count; i++)
            {
                if (Pages.Element<OrderDto>(results[i], ordersPath, ordersOffset + i, problems) is not { } order)
                {
                    packOffset = 0;
                    continue;
                }
                var pack = Map.PackOf(order);
                if (!seenPacks.Add(pack) && packOffset == 0)
                    continue; // a pack of several orders: read once per run
                var packId = pack.ToString(System.Globalization.CultureInfo.InvariantCulture);
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    var offset = packOffset;
                    var messagesResponse = await Pages.SendAsync(() => api.PackMessages(packId, sellerId, "post_sale", "false", offset, MessagesLimit, ct)).ConfigureAwait(false);
                    var (page, path) = await Pages.ReadAsync<PackMessagesResponse>(messagesResponse, p => p.Messages is not null && p.Paging is not null, ct).ConfigureAwait(false);
                    var records = new List<SourceRecord>();
                    for (var m = 0; m < page.Messages!.Count; m++)
                    {
                        if (Pages.Element<PackMessageDto>(page.Messages[m], path, offset + m, problems) is not { } dto)
                            continue;
                        if (Map.PackMessage(dto, page.Messages[m], order, sellerId) is not { } message)
                        {
                            problems.Add($"{Pages.Marketplace} {path}, result {offset + m}: skipped, it has no id or no message_date.created.");
                            continue;
                        }
                        if (message.SentAt > at.After && message.SentAt <= until && seenMessages.Add(message.ExternalId))
                            records.Add(message);
                    }
                    packOffset += page.Messages.Count;
                    var packDone = page.Messages.Count == 0 || packOffset >= page.Paging!.Total;
                    var checkpoint = !packDone
                        ? new ChatsCursor(at.After, until, Phase: ChatsPhase.Messages, OrdersOffset: ordersOffset, OrderIndex: i, PackOffset: packOffset)
                        : i + 1 < results.Count
                            ? new ChatsCursor(at.After, until, Phase: ChatsPhase.Messages, OrdersOffset: ordersOffset, OrderIndex: i + 1)
                            : last
                                ? new ChatsCursor(until)
                                : new ChatsCursor(at.After, until, Phase: ChatsPhase.Messages, OrdersOffset: next);
                    yield return new RecordPage(records, StreamCursor.From(checkpoint)) { Problems = [.. problems] };
                    problems.Clear();
                    if (packDone)
                        break;
                }
                packOffset = 0;
            }

            if (last)
            {
                // Also when the last orders were skipped or there were none: the range is finished.
                yield return new RecordPage([], StreamCursor.From(new ChatsCursor(until))) { Problems = [.. problems] };
                yield break;
            }
            (ordersOffset, orderIndex, packOffset) = (next, 0, 0);
        }
    }
}
