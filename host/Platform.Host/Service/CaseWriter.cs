using System.Data.Common;
using Platform.Abstractions;
using Platform.Crm.Service;
using Platform.Host.Storage;
using Platform.Host.Stores;

namespace Platform.Host.Service;

/// <summary>A new chat message with what the case rules need of its text.</summary>
public sealed record MessageInput(ChatMessage Message, double Sentiment, IReadOnlyList<string> Complaints);

/// <summary>A new or changed review with its text's own sentiment, complaint words and the time the seller's reply was first seen.</summary>
public sealed record ReviewInput(ReviewRecord Review, double TextSentiment, IReadOnlyList<string> Complaints, DateTimeOffset? RepliedAt);

/// <summary>
/// Applies the case rules to one page's new messages and changed reviews, inside the page's transaction: conversation
/// summaries, cases opened or moved, and each case's history. Messages are applied once (only new ones are given), in the
/// order they were sent, so re-syncs never open a case twice.
/// </summary>
internal sealed class CaseWriter(DbConnection conn, DbTransaction tx, IngestTarget target, ServiceSettings settings, BusinessCalendar calendar)
{
    private DbCommand? _latest, _byKey, _insert, _update, _event, _conversation, _saveConversation, _orderBuyer;

    public void Apply(IReadOnlyList<MessageInput> messages, IReadOnlyList<ReviewInput> reviews)
    {
        foreach (var conversation in messages.GroupBy(m => m.Message.ConversationId, StringComparer.Ordinal))
        {
            var ordered = conversation.OrderBy(m => m.Message.SentAt).ThenBy(m => m.Message.ExternalId, StringComparer.Ordinal).ToList();
            SaveConversation(conversation.Key, ordered);
            var latest = LatestCase(conversation.Key);
            foreach (var input in ordered)
            {
                var m = input.Message;
                // A case the buyer left unanswered past the reply window is done: this message starts a new one.
                if (latest is { } waiting && CaseRules.OnQuiet(waiting.State, m.SentAt, settings.ReplyWindow) is { Kind: CaseOutcomeKind.Changed } quiet)
                {
                    Update(waiting.Id, waiting.State, quiet.State!, quiet.State!.ResolvedAt!.Value, quiet.Event!);
                    latest = (waiting.Id, quiet.State);
                }
                var outcome = CaseRules.OnMessage(latest?.State, new ChatFacts(m.Direction == MessageDirection.Inbound, m.SentAt, input.Sentiment, input.Complaints));
                if (outcome.Kind == CaseOutcomeKind.Opened)
                {
                    var id = Insert(outcome.State!, $"chat:{target.StoreId}:{m.ExternalId}", "chat", m.Buyer.BuyerId, m.ConversationId, m.OrderExternalId, null,
                        m.ExternalId, m.Text);
                    if (id is null) continue;
                    latest = (id.Value, outcome.State!);
                    AddEvent(id.Value, m.SentAt, "opened", outcome.Event!);
                }
                else if (outcome.Kind == CaseOutcomeKind.Changed && latest is { } current)
                {
                    Update(current.Id, current.State, outcome.State!, m.SentAt, outcome.Event!);
                    latest = (current.Id, outcome.State!);
                }
            }
        }
        foreach (var input in reviews)
        {
            var r = input.Review;
            var key = $"review:{target.StoreId}:{r.ExternalId}";
            var existing = ByKey(key);
            var facts = new ReviewFacts(r.Rating, input.TextSentiment, !string.IsNullOrWhiteSpace(r.Text), input.Complaints, r.CreatedAt, r.UpdatedAt, input.RepliedAt);
            var outcome = CaseRules.OnReview(existing?.State, facts, settings.NegativeTextThreshold);
            if (outcome.Kind == CaseOutcomeKind.Opened)
            {
                var buyer = r.Buyer?.BuyerId ?? (r.OrderExternalId is { } order ? OrderBuyer(order) : null);
                var id = Insert(outcome.State!, key, "review", buyer, null, r.OrderExternalId, r.ExternalId, null, r.Text);
                if (id is not null) AddEvent(id.Value, r.CreatedAt, "opened", outcome.Event!);
            }
            else if (outcome.Kind == CaseOutcomeKind.Changed && existing is { } current)
                Update(current.Id, current.State, outcome.State!, r.UpdatedAt, outcome.Event!);
        }
    }

    private DbCommand Prepare(ref DbCommand? slot, string sql, params string[] parameters)
    {
        if (slot is not null) return slot;
        slot = Sql.Prepare(conn, tx, sql, parameters);
        if (slot.Parameters.Contains("@m")) Sql.Set(slot, "@m", target.MerchantId);
        if (slot.Parameters.Contains("@s")) Sql.Set(slot, "@s", target.StoreId);
        return slot;
    }

    private const string CaseColumns = "id, status, opened_at, first_response_at, resolved_at, resolved_by_hand, triggers, complaint_terms, answered_at";

    private (long Id, CaseState State)? LatestCase(string conversationId)
    {
        var cmd = Prepare(ref _latest, $"SELECT {CaseColumns} FROM cases WHERE merchant_id = @m AND store_id = @s AND conversation_id = @c ORDER BY opened_at DESC, id DESC LIMIT 1",
            "@m", "@s", "@c");
        Sql.Set(cmd, "@c", conversationId);
        return ReadCase(cmd);
    }

    private (long Id, CaseState State)? ByKey(string key)
    {
        var cmd = Prepare(ref _byKey, $"SELECT {CaseColumns} FROM cases WHERE merchant_id = @m AND key = @k", "@m", "@k");
        Sql.Set(cmd, "@k", key);
        return ReadCase(cmd);
    }

    private static (long Id, CaseState State)? ReadCase(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return (r.GetInt64(0), CaseRows.State(r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4),
            r.GetBoolean(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8)));
    }

    private long? Insert(CaseState state, string key, string channel, string? buyer, string? conversation, string? order, string? review, string? message, string text)
    {
        var cmd = Prepare(ref _insert, """
            INSERT INTO cases (merchant_id, store_id, buyer_id, key, channel, conversation_id, order_external_id, review_external_id, message_external_id,
              status, triggers, complaint_terms, summary, opened_at, due_at, breach_at, first_response_at, answered_at, resolved_at, resolved_by_hand, assignee, updated_at)
            VALUES (@m, @s, @b, @k, @ch, @conv, @o, @r, @msg, @st, @tr, @terms, @sum, @at, @due, @breach, @first, @answered, @resolved, FALSE, NULL, @at)
            ON CONFLICT (merchant_id, key) DO NOTHING
            RETURNING id
            """, "@m", "@s", "@b", "@k", "@ch", "@conv", "@o", "@r", "@msg", "@st", "@tr", "@terms", "@sum", "@at", "@due", "@breach", "@first", "@answered", "@resolved");
        var targets = settings.Targets;
        Sql.Set(cmd, "@b", buyer);
        Sql.Set(cmd, "@k", key);
        Sql.Set(cmd, "@ch", channel);
        Sql.Set(cmd, "@conv", conversation);
        Sql.Set(cmd, "@o", order);
        Sql.Set(cmd, "@r", review);
        Sql.Set(cmd, "@msg", message);
        Sql.Set(cmd, "@st", CaseRules.Wire(state.Status));
        Sql.Set(cmd, "@tr", CaseRows.Triggers(state.Triggers));
        Sql.Set(cmd, "@terms", CaseRows.Terms(state.ComplaintTerms));
        Sql.Set(cmd, "@sum", CaseRows.Shorten(text));
        Sql.Set(cmd, "@at", state.OpenedAt.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@due", targets.SameBusinessDay ? calendar.SameBusinessDayDeadline(state.OpenedAt).ToUnixTimeMilliseconds() : null);
        Sql.Set(cmd, "@breach", (state.OpenedAt + targets.BreachAfter).ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@first", state.FirstResponseAt?.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@answered", state.AnsweredAt?.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@resolved", state.ResolvedAt?.ToUnixTimeMilliseconds());
        return cmd.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private void Update(long id, CaseState before, CaseState after, DateTimeOffset at, string text)
    {
        var cmd = Prepare(ref _update, """
            UPDATE cases SET status = @st, triggers = @tr, complaint_terms = @terms, first_response_at = @first, answered_at = @answered, resolved_at = @resolved,
              resolved_by_hand = @hand, updated_at = @at WHERE id = @id
            """, "@st", "@tr", "@terms", "@first", "@answered", "@resolved", "@hand", "@at", "@id");
        Sql.Set(cmd, "@st", CaseRules.Wire(after.Status));
        Sql.Set(cmd, "@tr", CaseRows.Triggers(after.Triggers));
        Sql.Set(cmd, "@terms", CaseRows.Terms(after.ComplaintTerms));
        Sql.Set(cmd, "@first", after.FirstResponseAt?.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@answered", after.AnsweredAt?.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@resolved", after.ResolvedAt?.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@hand", after.ResolvedByHand);
        Sql.Set(cmd, "@at", at.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@id", id);
        cmd.ExecuteNonQuery();
        AddEvent(id, at, CaseRows.EventKind(before, after), text);
    }

    private void AddEvent(long caseId, DateTimeOffset at, string kind, string text)
    {
        var cmd = Prepare(ref _event, "INSERT INTO case_events (merchant_id, case_id, at, kind, text, by) VALUES (@m, @id, @at, @k, @t, NULL)", "@m", "@id", "@at", "@k", "@t");
        Sql.Set(cmd, "@id", caseId);
        Sql.Set(cmd, "@at", at.ToUnixTimeMilliseconds());
        Sql.Set(cmd, "@k", kind);
        Sql.Set(cmd, "@t", text);
        cmd.ExecuteNonQuery();
    }

    private string? OrderBuyer(string orderId)
    {
        var cmd = Prepare(ref _orderBuyer, "SELECT buyer_id FROM orders WHERE merchant_id = @m AND store_id = @s AND external_id = @o", "@m", "@s", "@o");
        Sql.Set(cmd, "@o", orderId);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Folds the new messages into the conversation's summary: counts, first and last times, who waits since when.</summary>
    private void SaveConversation(string conversationId, IReadOnlyList<MessageInput> ordered)
    {
        var read = Prepare(ref _conversation, """
            SELECT messages, first_at, last_at, last_inbound_at, last_outbound_at, order_external_id FROM conversations
            WHERE merchant_id = @m AND store_id = @s AND conversation_id = @c
            """, "@m", "@s", "@c");
        Sql.Set(read, "@c", conversationId);
        var c = new ConversationSummary();
        using (var r = read.ExecuteReader())
            if (r.Read())
                c = new ConversationSummary(r.GetInt32(0), r.GetInt64(1), r.GetInt64(2), Long(r, 3), Long(r, 4), r.IsDBNull(5) ? null : r.GetString(5));
        foreach (var input in ordered) c = c.With(input.Message);

        var save = Prepare(ref _saveConversation, """
            INSERT INTO conversations (merchant_id, store_id, conversation_id, buyer_id, order_external_id, messages, first_at, last_at, last_inbound_at, last_outbound_at)
            VALUES (@m, @s, @c, @b, @o, @n, @first, @last, @in, @out)
            ON CONFLICT (merchant_id, store_id, conversation_id) DO UPDATE SET buyer_id = excluded.buyer_id, order_external_id = excluded.order_external_id,
              messages = excluded.messages, first_at = excluded.first_at, last_at = excluded.last_at, last_inbound_at = excluded.last_inbound_at,
              last_outbound_at = excluded.last_outbound_at
            """, "@m", "@s", "@c", "@b", "@o", "@n", "@first", "@last", "@in", "@out");
        Sql.Set(save, "@c", conversationId);
        Sql.Set(save, "@b", ordered[^1].Message.Buyer.BuyerId);
        Sql.Set(save, "@o", c.Order);
        Sql.Set(save, "@n", c.Messages);
        Sql.Set(save, "@first", c.First);
        Sql.Set(save, "@last", c.Last);
        Sql.Set(save, "@in", c.LastInbound);
        Sql.Set(save, "@out", c.LastOutbound);
        save.ExecuteNonQuery();

        static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
    }

    /// <summary>A conversation's summary in Unix milliseconds (whether the buyer waits is its open case's to say).</summary>
    private readonly record struct ConversationSummary(int Messages, long First, long Last, long? LastInbound, long? LastOutbound, string? Order)
    {
        public ConversationSummary() : this(0, long.MaxValue, long.MinValue, null, null, null) { }

        public ConversationSummary With(ChatMessage m)
        {
            var at = m.SentAt.ToUnixTimeMilliseconds();
            var next = this with { Messages = Messages + 1, First = Math.Min(First, at), Last = Math.Max(Last, at), Order = m.OrderExternalId ?? Order };
            return m.Direction == MessageDirection.Inbound
                ? next with { LastInbound = Math.Max(LastInbound ?? at, at) }
                : next with { LastOutbound = Math.Max(LastOutbound ?? at, at) };
        }
    }
}

/// <summary>How cases are stored: statuses, triggers and terms as text; history kinds.</summary>
public static class CaseRows
{
    public static CaseState State(string status, long openedAt, long? firstResponseAt, long? resolvedAt, bool byHand, string triggers, string? terms, long? answeredAt) => new(
        CaseRules.ParseStatus(status) ?? CaseStatus.Open,
        DateTimeOffset.FromUnixTimeMilliseconds(openedAt),
        firstResponseAt is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
        resolvedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null,
        byHand,
        ParseTriggers(triggers),
        SplitTerms(terms),
        answeredAt is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null);

    public static IReadOnlyList<CaseTrigger> ParseTriggers(string triggers) =>
        triggers.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(CaseRules.ParseTrigger).OfType<CaseTrigger>().ToList();

    public static IReadOnlyList<string> SplitTerms(string? terms) => terms is null ? [] : terms.Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static string Triggers(IReadOnlyList<CaseTrigger> triggers) => string.Join(',', triggers.Select(CaseRules.Wire));

    public static string? Terms(IReadOnlyList<string> terms) => terms.Count == 0 ? null : string.Join('|', terms);

    public static string Shorten(string? text) => string.IsNullOrWhiteSpace(text) ? "(no text)" : text.Length <= 160 ? text : text[..157] + "…";

    /// <summary>The history kind of a change: resolved, reopened, first_response or changed.</summary>
    public static string EventKind(CaseState before, CaseState after) =>
        after.Status == CaseStatus.Resolved && before.Status != CaseStatus.Resolved ? "resolved"
        : after.Status == CaseStatus.Open && before.Status != CaseStatus.Open ? "reopened"
        : after.FirstResponseAt is not null && before.FirstResponseAt is null ? "first_response"
        : after.Status != before.Status ? "changed" : "updated";
}
