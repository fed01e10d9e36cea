namespace Platform.Crm.Service;

/// <summary>Where a case stands: the seller has to act (open), the buyer has been answered (waiting), or it is done.</summary>
public enum CaseStatus { Open, Waiting, Resolved }

/// <summary>Why a case was opened (an item can have several reasons).</summary>
public enum CaseTrigger { NegativeRating, NegativeText, Complaint, Unanswered }

/// <summary>A case as stored: the rules read it and return its next state.</summary>
public sealed record CaseState(CaseStatus Status, DateTimeOffset OpenedAt, DateTimeOffset? FirstResponseAt, DateTimeOffset? ResolvedAt, bool ResolvedByHand,
    IReadOnlyList<CaseTrigger> Triggers, IReadOnlyList<string> ComplaintTerms, DateTimeOffset? AnsweredAt = null);

/// <summary>A chat message as the rules see it: its direction, time, sentiment and the complaint words in it.</summary>
public sealed record ChatFacts(bool Inbound, DateTimeOffset At, double Sentiment, IReadOnlyList<string> ComplaintTerms);

/// <summary>A review as the rules see it: the stars, the text's own sentiment, complaint words, and the seller's reply.</summary>
public sealed record ReviewFacts(int Rating, double TextSentiment, bool HasText, IReadOnlyList<string> ComplaintTerms, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? RepliedAt);

/// <summary>What an item does: nothing, opens a new case, or changes an existing one; <see cref="Event"/> says it in words.</summary>
public sealed record CaseOutcome(CaseOutcomeKind Kind, CaseState? State, string? Event)
{
    public static CaseOutcome None { get; } = new(CaseOutcomeKind.None, null, null);
}

public enum CaseOutcomeKind { None, Opened, Changed }

/// <summary>
/// When service cases open, move and close (crm.md section 4), as pure functions of the stored case and one item:
/// <list type="bullet">
/// <item>Chats: a buyer's message with no case in progress in its conversation opens one (the buyer waits for a reply).
/// Later buyer messages join it. The seller's first reply is the first response and the case waits on the buyer; the buyer's
/// next message resolves it when it is positive with no complaint words, and reopens it otherwise.</item>
/// <item>Reviews: 1–2 stars, 3 stars with negative text, or complaint words open a case (the rating wins over the text, so
/// 4–5 stars with gloomy words do not). The seller's public reply is the first response; the buyer raising the review to
/// 4–5 stars without complaint words resolves it.</item>
/// </list>
/// A case waiting on the buyer resolves itself when the buyer stays quiet for the reply window after the seller's last answer
/// (<see cref="OnQuiet"/>); a message after that opens a new case. A case resolved by hand stays resolved: a later buyer message
/// opens a new case, a later review change does nothing.
/// Each item is applied once (the host applies new messages and changed reviews), so re-syncs never open a case twice.
/// </summary>
public static class CaseRules
{
    /// <summary>What a new message of a conversation does, given the conversation's latest case (null when none).</summary>
    public static CaseOutcome OnMessage(CaseState? latest, ChatFacts m)
    {
        var complaint = m.ComplaintTerms.Count > 0;
        if (!m.Inbound)
        {
            if (latest is not { Status: CaseStatus.Open } open) return CaseOutcome.None;
            var first = open.FirstResponseAt is null;
            return new CaseOutcome(CaseOutcomeKind.Changed, open with { Status = CaseStatus.Waiting, FirstResponseAt = open.FirstResponseAt ?? m.At, AnsweredAt = m.At },
                first ? "The seller replied: first response." : "The seller replied again.");
        }
        if (latest is null || latest.Status == CaseStatus.Resolved)
        {
            var triggers = complaint ? new[] { CaseTrigger.Unanswered, CaseTrigger.Complaint } : [CaseTrigger.Unanswered];
            return new CaseOutcome(CaseOutcomeKind.Opened, new CaseState(CaseStatus.Open, m.At, null, null, false, triggers, m.ComplaintTerms),
                complaint ? $"The buyer wrote with complaint words ({string.Join(", ", m.ComplaintTerms)}) and waits for a reply." : "The buyer wrote and waits for a reply.");
        }
        var state = complaint ? WithComplaint(latest, m.ComplaintTerms) : latest;
        if (latest.Status == CaseStatus.Waiting)
        {
            if (!complaint && Sentiment.IsPositive(m.Sentiment))
                return new CaseOutcome(CaseOutcomeKind.Changed, state with { Status = CaseStatus.Resolved, ResolvedAt = m.At, ResolvedByHand = false },
                    $"The buyer's reply is positive (sentiment {m.Sentiment:0.00}): resolved.");
            return new CaseOutcome(CaseOutcomeKind.Changed, state with { Status = CaseStatus.Open },
                complaint ? $"The buyer wrote again with complaint words ({string.Join(", ", m.ComplaintTerms)}): reopened." : "The buyer wrote again: reopened.");
        }
        return complaint && !ReferenceEquals(state, latest)
            ? new CaseOutcome(CaseOutcomeKind.Changed, state, $"The buyer wrote again with complaint words ({string.Join(", ", m.ComplaintTerms)}).")
            : CaseOutcome.None;
    }

    /// <summary>
    /// A case waiting on the buyer whose reply window has passed by <paramref name="now"/> without a word from them: resolved
    /// at the end of the window. Anything else: no change.
    /// </summary>
    public static CaseOutcome OnQuiet(CaseState latest, DateTimeOffset now, TimeSpan replyWindow)
    {
        if (latest is not { Status: CaseStatus.Waiting, AnsweredAt: { } answered } || now < answered + replyWindow) return CaseOutcome.None;
        return new CaseOutcome(CaseOutcomeKind.Changed, latest with { Status = CaseStatus.Resolved, ResolvedAt = answered + replyWindow, ResolvedByHand = false },
            $"No word from the buyer within {replyWindow.TotalDays:0.#} days of the answer: resolved.");
    }

    /// <summary>Why a review needs attention; empty when it does not. <paramref name="negativeText"/> is the text score at or below which text is negative.</summary>
    public static IReadOnlyList<CaseTrigger> ReviewTriggers(ReviewFacts r, double negativeText)
    {
        var triggers = new List<CaseTrigger>();
        if (r.Rating <= 2) triggers.Add(CaseTrigger.NegativeRating);
        else if (r.Rating == 3 && r.HasText && r.TextSentiment <= negativeText) triggers.Add(CaseTrigger.NegativeText);
        if (r.ComplaintTerms.Count > 0) triggers.Add(CaseTrigger.Complaint);
        return triggers;
    }

    /// <summary>What a new or changed review does, given its case (null when it has none).</summary>
    public static CaseOutcome OnReview(CaseState? existing, ReviewFacts r, double negativeText)
    {
        var triggers = ReviewTriggers(r, negativeText);
        if (existing is null)
        {
            if (triggers.Count == 0) return CaseOutcome.None;
            var replied = r.RepliedAt is { } at ? Max(at, r.CreatedAt) : (DateTimeOffset?)null;
            var opened = new CaseState(replied is null ? CaseStatus.Open : CaseStatus.Waiting, r.CreatedAt, replied, null, false, triggers, r.ComplaintTerms, replied);
            return new CaseOutcome(CaseOutcomeKind.Opened, opened, $"{r.Rating}★ review{Describe(triggers, r.ComplaintTerms)}" +
                (replied is null ? ": waiting for the seller's reply." : ": the seller has replied."));
        }
        if (existing.Status == CaseStatus.Resolved) return CaseOutcome.None;
        var state = existing;
        string? note = null;
        if (state.FirstResponseAt is null && r.RepliedAt is { } repliedAt)
        {
            var at = Max(repliedAt, state.OpenedAt);
            state = state with { FirstResponseAt = at, AnsweredAt = at, Status = CaseStatus.Waiting };
            note = "The seller replied to the review: first response.";
        }
        if (r.Rating >= 4 && r.ComplaintTerms.Count == 0)
        {
            state = state with { Status = CaseStatus.Resolved, ResolvedAt = Max(r.UpdatedAt, state.OpenedAt), ResolvedByHand = false };
            note = $"The buyer changed the review to {r.Rating}★: resolved.";
        }
        return note is null ? CaseOutcome.None : new CaseOutcome(CaseOutcomeKind.Changed, state, note);
    }

    private static CaseState WithComplaint(CaseState state, IReadOnlyList<string> terms)
    {
        var known = new HashSet<string>(state.ComplaintTerms, StringComparer.Ordinal);
        var added = terms.Where(known.Add).ToList();
        var hasTrigger = state.Triggers.Contains(CaseTrigger.Complaint);
        if (added.Count == 0 && hasTrigger) return state;
        return state with
        {
            Triggers = hasTrigger ? state.Triggers : [.. state.Triggers, CaseTrigger.Complaint],
            ComplaintTerms = [.. state.ComplaintTerms, .. added],
        };
    }

    private static string Describe(IReadOnlyList<CaseTrigger> triggers, IReadOnlyList<string> terms)
    {
        var parts = new List<string>();
        if (triggers.Contains(CaseTrigger.NegativeText)) parts.Add("negative text");
        if (triggers.Contains(CaseTrigger.Complaint)) parts.Add($"complaint words ({string.Join(", ", terms)})");
        return parts.Count == 0 ? "" : " with " + string.Join(" and ", parts);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    /// <summary>The wire names of statuses and triggers (API, database).</summary>
    public static string Wire(CaseStatus s) => s switch { CaseStatus.Open => "open", CaseStatus.Waiting => "waiting", _ => "resolved" };

    public static CaseStatus? ParseStatus(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "open" => CaseStatus.Open,
        "waiting" => CaseStatus.Waiting,
        "resolved" => CaseStatus.Resolved,
        _ => null,
    };

    public static string Wire(CaseTrigger t) => t switch
    {
        CaseTrigger.NegativeRating => "negative_rating",
        CaseTrigger.NegativeText => "negative_text",
        CaseTrigger.Complaint => "complaint",
        _ => "unanswered",
    };

    public static CaseTrigger? ParseTrigger(string s) => s switch
    {
        "negative_rating" => CaseTrigger.NegativeRating,
        "negative_text" => CaseTrigger.NegativeText,
        "complaint" => CaseTrigger.Complaint,
        "unanswered" => CaseTrigger.Unanswered,
        _ => null,
    };
}
