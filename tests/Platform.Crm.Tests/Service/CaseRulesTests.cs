using Platform.Crm.Service;
using Xunit;

namespace Platform.Crm.Tests.Service;

public sealed class CaseRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 5, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private static ChatFacts Buyer(double hours, double sentiment = 0, params string[] complaints) => new(true, T0.AddHours(hours), sentiment, complaints);
    private static ChatFacts Seller(double hours) => new(false, T0.AddHours(hours), 0, []);

    /// <summary>Applies messages in order the way the host does; returns the cases opened, latest last.</summary>
    private static List<CaseState> Run(params ChatFacts[] messages)
    {
        var cases = new List<CaseState>();
        foreach (var m in messages)
        {
            if (cases.Count > 0 && CaseRules.OnQuiet(cases[^1], m.At, Week) is { Kind: CaseOutcomeKind.Changed } quiet) cases[^1] = quiet.State!;
            var outcome = CaseRules.OnMessage(cases.Count == 0 ? null : cases[^1], m);
            if (outcome.Kind == CaseOutcomeKind.Opened) cases.Add(outcome.State!);
            else if (outcome.Kind == CaseOutcomeKind.Changed) cases[^1] = outcome.State!;
        }
        return cases;
    }

    [Fact]
    public void A_question_opens_a_case_the_answer_makes_it_wait_and_thanks_resolve_it()
    {
        var opened = Run(Buyer(0));
        var c = Assert.Single(opened);
        Assert.Equal((CaseStatus.Open, T0, (DateTimeOffset?)null), (c.Status, c.OpenedAt, c.FirstResponseAt));
        Assert.Equal([CaseTrigger.Unanswered], c.Triggers);
        var waiting = Run(Buyer(0), Buyer(1), Seller(3));
        Assert.Single(waiting);
        Assert.Equal((CaseStatus.Waiting, T0.AddHours(3), T0.AddHours(3)), (waiting[0].Status, waiting[0].FirstResponseAt, waiting[0].AnsweredAt));
        var resolved = Run(Buyer(0), Seller(3), Buyer(4, sentiment: 0.7));
        Assert.Equal((CaseStatus.Resolved, T0.AddHours(4), false), (resolved[0].Status, resolved[0].ResolvedAt, resolved[0].ResolvedByHand));
    }

    [Theory]
    [InlineData(0.0)]   // neutral "ok"
    [InlineData(-0.6)]  // unhappy
    [InlineData(0.29)]  // just under positive
    public void A_reply_that_is_not_positive_reopens_and_keeps_the_first_response(double sentiment)
    {
        var cases = Run(Buyer(0), Seller(2), Buyer(5, sentiment), Seller(8));
        var c = Assert.Single(cases);
        Assert.Equal(CaseStatus.Waiting, c.Status);
        Assert.Equal(T0.AddHours(2), c.FirstResponseAt);
        Assert.Equal(T0.AddHours(8), c.AnsweredAt);
    }

    [Fact]
    public void Positive_words_with_a_complaint_do_not_resolve()
    {
        var c = Assert.Single(Run(Buyer(0), Seller(1), Buyer(2, 0.8, "refund")));
        Assert.Equal(CaseStatus.Open, c.Status);
        Assert.Equal([CaseTrigger.Unanswered, CaseTrigger.Complaint], c.Triggers);
        Assert.Equal(["refund"], c.ComplaintTerms);
    }

    [Fact]
    public void Complaint_words_accumulate_once_each_on_the_open_case()
    {
        var c = Assert.Single(Run(Buyer(0, 0, "broken"), Buyer(1, 0, "broken", "退款"), Buyer(2)));
        Assert.Equal(["broken", "退款"], c.ComplaintTerms);
        Assert.Equal([CaseTrigger.Unanswered, CaseTrigger.Complaint], c.Triggers);
    }

    [Fact]
    public void Seller_messages_without_an_open_case_change_nothing()
    {
        Assert.Empty(Run(Seller(0), Seller(1)));
        Assert.Same(CaseOutcome.None, CaseRules.OnMessage(null, Seller(0)));
    }

    [Fact]
    public void After_resolution_the_next_question_is_a_new_case()
    {
        var cases = Run(Buyer(0), Seller(1), Buyer(2, 0.9), Buyer(30));
        Assert.Equal([CaseStatus.Resolved, CaseStatus.Open], cases.Select(c => c.Status));
        Assert.Equal(T0.AddHours(30), cases[1].OpenedAt);
    }

    [Fact]
    public void A_case_resolved_by_hand_stays_resolved_and_a_new_question_opens_another()
    {
        var byHand = Run(Buyer(0))[0] with { Status = CaseStatus.Resolved, ResolvedAt = T0.AddHours(1), ResolvedByHand = true };
        Assert.Equal(CaseOutcomeKind.Opened, CaseRules.OnMessage(byHand, Buyer(2)).Kind);
        Assert.Same(CaseOutcome.None, CaseRules.OnMessage(byHand, Seller(2)));
    }

    [Fact]
    public void Quiet_resolves_at_the_end_of_the_window_counted_from_the_last_answer()
    {
        var waiting = Run(Buyer(0), Seller(1), Buyer(2), Seller(3))[0];
        Assert.Same(CaseOutcome.None, CaseRules.OnQuiet(waiting, T0.AddHours(3) + Week - TimeSpan.FromSeconds(1), Week));
        var quiet = CaseRules.OnQuiet(waiting, T0.AddDays(30), Week);
        Assert.Equal((CaseStatus.Resolved, T0.AddHours(3) + Week), (quiet.State!.Status, quiet.State.ResolvedAt));
        Assert.Contains("7 days", quiet.Event);
        var open = Run(Buyer(0))[0];
        Assert.Same(CaseOutcome.None, CaseRules.OnQuiet(open, T0.AddDays(30), Week));
        var later = Run(Buyer(0), Seller(1), Buyer(24 * 20));
        Assert.Equal([CaseStatus.Resolved, CaseStatus.Open], later.Select(c => c.Status));
    }

    private static ReviewFacts Review(int rating, double text = 0, bool hasText = true, string[]? complaints = null, double? repliedHours = null, double updatedHours = 0) =>
        new(rating, text, hasText, complaints ?? [], T0, T0.AddHours(updatedHours), repliedHours is { } h ? T0.AddHours(h) : null);

    [Theory]
    [InlineData(1, 0.5, new[] { CaseTrigger.NegativeRating })]     // the rating wins over happy words
    [InlineData(2, 0.0, new[] { CaseTrigger.NegativeRating })]
    [InlineData(3, -0.5, new[] { CaseTrigger.NegativeText })]
    [InlineData(3, -0.2, new CaseTrigger[0])]
    [InlineData(4, -0.9, new CaseTrigger[0])]                      // and over gloomy ones
    [InlineData(5, 0.9, new CaseTrigger[0])]
    public void Review_triggers_follow_the_rating_first(int rating, double text, CaseTrigger[] expected) =>
        Assert.Equal(expected, CaseRules.ReviewTriggers(Review(rating, text), -0.3));

    [Fact]
    public void A_review_without_text_is_judged_by_its_rating_and_complaint_words_add_a_trigger()
    {
        Assert.Equal([CaseTrigger.NegativeRating], CaseRules.ReviewTriggers(Review(1, hasText: false), -0.3));
        Assert.Empty(CaseRules.ReviewTriggers(Review(3, -0.9, hasText: false), -0.3));
        Assert.Equal([CaseTrigger.Complaint], CaseRules.ReviewTriggers(Review(5, 0.5, complaints: ["fake"]), -0.3));
        Assert.Equal([CaseTrigger.NegativeRating, CaseTrigger.Complaint], CaseRules.ReviewTriggers(Review(1, complaints: ["退货"]), -0.3));
    }

    [Fact]
    public void A_review_case_waits_after_the_reply_and_resolves_when_the_rating_rises()
    {
        var opened = CaseRules.OnReview(null, Review(1), -0.3);
        Assert.Equal((CaseOutcomeKind.Opened, CaseStatus.Open), (opened.Kind, opened.State!.Status));
        var replied = CaseRules.OnReview(opened.State, Review(1, repliedHours: 20, updatedHours: 21), -0.3);
        Assert.Equal((CaseStatus.Waiting, T0.AddHours(20)), (replied.State!.Status, replied.State.FirstResponseAt));
        var raised = CaseRules.OnReview(replied.State, Review(5, 0.8, repliedHours: 20, updatedHours: 50), -0.3);
        Assert.Equal((CaseStatus.Resolved, T0.AddHours(50)), (raised.State!.Status, raised.State.ResolvedAt));
        // Already resolved: later changes do nothing.
        Assert.Same(CaseOutcome.None, CaseRules.OnReview(raised.State, Review(1, updatedHours: 60), -0.3));
        // A reply already there when first seen: the case opens waiting.
        var answeredAlready = CaseRules.OnReview(null, Review(2, repliedHours: 5, updatedHours: 5), -0.3);
        Assert.Equal((CaseStatus.Waiting, T0.AddHours(5)), (answeredAlready.State!.Status, answeredAlready.State.FirstResponseAt));
        // A reply stamped before the review counts from the review.
        var early = CaseRules.OnReview(null, Review(2, repliedHours: -5), -0.3);
        Assert.Equal(T0, early.State!.FirstResponseAt);
        Assert.Same(CaseOutcome.None, CaseRules.OnReview(null, Review(5), -0.3));
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        foreach (var s in Enum.GetValues<CaseStatus>()) Assert.Equal(s, CaseRules.ParseStatus(CaseRules.Wire(s)));
        foreach (var t in Enum.GetValues<CaseTrigger>()) Assert.Equal(t, CaseRules.ParseTrigger(CaseRules.Wire(t)));
        Assert.Null(CaseRules.ParseStatus("closed"));
        Assert.Equal(CaseStatus.Open, CaseRules.ParseStatus(" OPEN "));
    }
}
