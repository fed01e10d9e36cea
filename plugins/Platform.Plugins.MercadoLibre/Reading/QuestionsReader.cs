using System.Runtime.CompilerServices;
using Platform.Abstractions;
using Platform.Plugins.MercadoLibre.Api;

namespace Platform.Plugins.MercadoLibre.Reading;

/// <summary>
/// Where the chats stream stands: every question and answer sent after <see cref="After"/> (exclusive) was returned.
/// While a run is being paged, <see cref="Until"/> and <see cref="Offset"/> (in the newest-first list) hold it.
/// </summary>
internal sealed record QuestionsCursor(DateTimeOffset After, DateTimeOffset? Until = null, int Offset = 0);

/// <summary>
/// Listing questions (GET /questions/search?seller_id=…&amp;api_version=4&amp;sort_fields=date_created&amp;sort_types=DESC):
/// the search has no date filter, so questions are read newest first and the read stops once questions are older
/// than the cursor by more than <see cref="AnswerLookback"/> (answers to such questions can still be new). A question
/// is an inbound message at its date_created; its answer an outbound one at the answer's date_created.
/// Newest first is also robust to questions arriving during the read: they shift the list down (a re-read), never up (a gap).
/// </summary>
internal sealed class QuestionsReader(IMercadoLibreApi api, string sellerId)
{
    public const int Limit = 50;
    public static readonly TimeSpan AnswerLookback = TimeSpan.FromDays(7);

    public async IAsyncEnumerable<RecordPage> ReadAsync(StreamCursor? cursor, ReadWindow window, [EnumeratorCancellation] CancellationToken ct)
    {
        var windowUntil = Time.Ms(window.Until);
        var at = cursor?.Read<QuestionsCursor>() ?? new QuestionsCursor(Time.Ms(window.Since) - Time.Tick);
        if (at.Until is { } u && u > windowUntil)
            at = new QuestionsCursor(at.After);
        var until = at.Until ?? windowUntil;
        if (at.After >= until)
            yield break;

        // Resume one page early: questions deleted meanwhile would otherwise shift unread ones behind the offset.
        var offset = Math.Max(0, at.Offset - Limit);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stopBefore = at.After - AnswerLookback;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var response = await Pages.SendAsync(() => api.SearchQuestions(sellerId, 4, "date_created", "DESC", offset, Limit, ct)).ConfigureAwait(false);
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
            var checkpoint = done ? new QuestionsCursor(until) : new QuestionsCursor(at.After, until, offset);
            yield return new RecordPage(records, StreamCursor.From(checkpoint)) { Problems = problems };
            if (done)
                yield break;
        }
    }
}
