using System.Buffers;
using System.Text;

namespace Platform.Crm.Service;

public enum SentimentLanguage { Unknown, English, Chinese }

/// <summary>A text's sentiment in [-1, 1], the language it was read as, and how many lexicon terms and emoji counted.</summary>
public readonly record struct SentimentScore(double Score, SentimentLanguage Language, int MatchedTerms);

/// <summary>
/// Offline lexicon sentiment for English and Chinese review and chat text, after VADER (Hutto and Gilbert 2014):
/// term valences summed, each scaled by a negator up to three words before it (-0.74: "not good", "不好", "不是很满意"
/// is the softer -0.5), raised or lowered by boosters before it ("very", "slightly", "非常", "有点"), weighted 0.5
/// before and 1.5 after the last "but"/"但是", pushed away from zero by up to four exclamation marks, and squashed to
/// [-1, 1] by x / sqrt(x² + 15). English is split into words and matched as phrases of up to four words, longest
/// first ("never arrived", "as described"); Chinese, having no spaces, by forward maximum matching over the lexicon.
/// Emoji and emoticons count in any language. Lexicon sources: Service/Lexicons/README.md.
/// </summary>
public static class Sentiment
{
    /// <summary>Text past this many chars is not read (a review or message is far shorter).</summary>
    public const int MaxLength = 20_000;

    /// <summary>Score at or above which a message counts as positive.</summary>
    public const double PositiveThreshold = 0.3;

    private const double Alpha = 15;
    private const double ExclamationBoost = 0.292;
    private const double CapsBoost = 0.733;
    private const int EnglishWindow = 3;
    private const int ChineseWindow = 3;
    private const int MaxPhraseWords = 4;

    /// <summary>
    /// Score of free text in [-1, 1]; 0 with MatchedTerms 0 when there is no text, no known words, only emoji without
    /// sentiment, or an unsupported language. Never throws, never NaN.
    /// </summary>
    public static SentimentScore OfText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        var span = text.AsSpan(0, Math.Min(text.Length, MaxLength));
        var tokens = ArrayPool<Token>.Shared.Rent(span.Length + 1);
        var scratch = ArrayPool<char>.Shared.Rent(span.Length + 1);
        var words = ArrayPool<int>.Shared.Rent(3 * span.Length + 3);
        try
        {
            var scan = new Scanner(span, tokens, scratch, words);
            scan.Run();
            var language = scan.Kana >= 2 && 2 * scan.Kana >= scan.Han ? SentimentLanguage.Unknown : Language(scan.Han, scan.Latin, scan.Other);
            var (sum, matched) = Sum(tokens.AsSpan(0, scan.Count), scan.CapsDiffer, emojiOnly: language == SentimentLanguage.Unknown);
            if (matched == 0) return new SentimentScore(0, language, 0);
            var exclaim = Math.Min(scan.Exclamations, 4) * ExclamationBoost;
            sum += Math.Sign(sum) * exclaim;
            var score = sum / Math.Sqrt(sum * sum + Alpha);
            if (double.IsNaN(score)) score = 0;
            return new SentimentScore(Math.Clamp(score, -1, 1), language, matched);
        }
        finally
        {
            ArrayPool<Token>.Shared.Return(tokens);
            ArrayPool<char>.Shared.Return(scratch);
            ArrayPool<int>.Shared.Return(words);
        }
    }

    /// <summary>
    /// A review's sentiment: text score combined with the 1–5 star rating; the rating wins when text and rating
    /// disagree (1 star with "great, thanks" is negative, the text only softening it; 5 stars with "a bit small" stays
    /// positive); when they agree, 0.6 rating + 0.4 text. 3 stars, or a rating outside 1–5, follows the text. Without
    /// text (or without a known word in it): from the rating alone, (rating − 3) / 2.
    /// </summary>
    public static double OfReview(string? text, int rating)
    {
        var fromText = OfText(text);
        if (rating is < 1 or > 5) return fromText.Score;
        var fromRating = (rating - 3) / 2.0;
        if (fromText.MatchedTerms == 0) return fromRating;
        if (fromRating == 0) return fromText.Score;
        if (Math.Sign(fromText.Score) != Math.Sign(fromRating)) return fromRating * (1 - 0.5 * Math.Abs(fromText.Score));
        return 0.6 * fromRating + 0.4 * fromText.Score;
    }

    /// <summary>True when a message counts as positive (auto-closing a case on the buyer's reply): score ≥ 0.3.</summary>
    public static bool IsPositive(double score) => score >= PositiveThreshold;

    /// <summary>
    /// Han characters make text Chinese, Latin letters English (about three letters weighing one Han character);
    /// when other scripts (Thai, Arabic, Hangul, Cyrillic…) outweigh both, the language is unsupported, and so is
    /// text with kana at least half as frequent as Han (Japanese, whose kanji would otherwise be read as Chinese; a
    /// kaomoji's づ in a Chinese review is not).
    /// </summary>
    private static SentimentLanguage Language(int han, int latin, int other)
    {
        double hanUnits = han, latinUnits = latin / 3.0, otherUnits = other / 2.0;
        if (hanUnits + latinUnits == 0 || otherUnits > hanUnits + latinUnits) return SentimentLanguage.Unknown;
        return hanUnits >= latinUnits ? SentimentLanguage.Chinese : SentimentLanguage.English;
    }

    private static (double Sum, int Matched) Sum(Span<Token> tokens, bool capsDiffer, bool emojiOnly)
    {
        var contrast = -1;
        for (var k = 0; k < tokens.Length; k++)
            if (tokens[k].Term.Contrast && !emojiOnly) contrast = k;

        double sum = 0;
        var matched = 0;
        for (var k = 0; k < tokens.Length; k++)
        {
            ref var token = ref tokens[k];
            if (!token.Term.HasValence) continue;
            double v;
            if (token.Kind == TokenKind.Emoji) v = token.Term.Valence;
            else
            {
                if (emojiOnly) continue;
                // a negator or booster that is also a sentiment term ("no", "好") is read as the modifier when a
                // sentiment term follows it, and counts on its own otherwise (below)
                if (token.Term.Negation != 0) continue;
                if (token.Term.Boost != 0 && k + 1 < tokens.Length && tokens[k + 1] is { Kind: TokenKind.Word, Term.HasValence: true } next && next.Chinese == token.Chinese) continue;
                v = Modified(tokens, k, capsDiffer);
                if (v == 0) continue;
            }
            if (contrast >= 0 && k != contrast) v *= k < contrast ? 0.5 : 1.5;
            sum += v;
            matched++;
        }
        if (emojiOnly) return (sum, matched);
        for (var k = 0; k < tokens.Length; k++)
        {
            // "No." on its own is negative; "no problems", "no shifting, no peeling" describe absence
            var token = tokens[k];
            if (token.Term.Negation == 0 || !token.Term.HasValence || token.Used) continue;
            if (k + 1 < tokens.Length && tokens[k + 1].Kind == TokenKind.Word) continue;
            var v = token.Term.Valence;
            if (contrast >= 0 && k != contrast) v *= k < contrast ? 0.5 : 1.5;
            sum += v;
            matched++;
        }
        return (sum, matched);
    }

    /// <summary>
    /// The valence of the sentiment term at <paramref name="k"/> after the boosters and negators in the few words
    /// before it, within its clause (a punctuation mark or another sentiment term ends the look-back).
    /// </summary>
    private static double Modified(Span<Token> tokens, int k, bool capsDiffer)
    {
        var token = tokens[k];
        var negation = Negation(tokens, k);
        var v = negation == 1 ? token.Term.Valence : token.Term.NegatedValence != 0 ? token.Term.NegatedValence : token.Term.Valence;
        if (token.Term.Fixed) negation = 1;
        if (v == 0) return 0;
        var sign = Math.Sign(v);
        if (token.Caps && capsDiffer) v += sign * CapsBoost;
        var window = token.Chinese ? ChineseWindow : EnglishWindow;
        var distance = 0;
        for (var j = k - 1; j >= 0 && distance < window; j--)
        {
            ref var before = ref tokens[j];
            if (before.Kind == TokenKind.Boundary || before.Kind == TokenKind.Word && before.Chinese != tokens[k].Chinese) break;
            if (before.Kind == TokenKind.Emoji) continue;
            distance++;
            var term = before.Term;
            if (term.Negation != 0) continue;
            if (term.Boost != 0)
            {
                // a booster that is also a sentiment term (好) boosts only the term right after it
                if (!term.HasValence || distance == 1) v += sign * term.Boost * (distance switch { 1 => 1.0, 2 => 0.95, _ => 0.9 });
                if (!term.HasValence) continue;
            }
            if (term.HasValence) break;
        }
        return v * negation;
    }

    /// <summary>
    /// The product of the negators in the few words before the term at <paramref name="k"/>, within its clause and
    /// up to the previous sentiment term; they are marked used, so "no" does not count on its own as well.
    /// </summary>
    private static double Negation(Span<Token> tokens, int k)
    {
        var window = tokens[k].Chinese ? ChineseWindow : EnglishWindow;
        var negation = 1.0;
        var distance = 0;
        for (var j = k - 1; j >= 0 && distance < window; j--)
        {
            ref var before = ref tokens[j];
            if (before.Kind == TokenKind.Boundary || before.Kind == TokenKind.Word && before.Chinese != tokens[k].Chinese) break;
            if (before.Kind == TokenKind.Emoji) continue;
            distance++;
            var term = before.Term;
            if (term.Negation != 0)
            {
                negation *= term.Negation;
                before.Used = true;
            }
            else if (term.HasValence && term.Boost == 0) break;
        }
        return negation;
    }

    private enum TokenKind : byte { Word, Boundary, Emoji }

    /// <summary>A word, phrase or run of unknown Han characters (Term default when unknown), a clause break, or an emoji.</summary>
    private struct Token
    {
        public TokenKind Kind;
        public SentimentTerm Term;
        public bool Caps;
        public bool Chinese;
        public bool Used;
    }

    /// <summary>Splits text into tokens and counts the letters of each script and the exclamation marks.</summary>
    private ref struct Scanner(ReadOnlySpan<char> text, Token[] tokens, char[] scratch, int[] words)
    {
        private readonly ReadOnlySpan<char> text = text;
        private readonly SentimentLexicon lexicon = SentimentLexicon.Shared;
        private int capsWords, lowerWords;

        public int Count;
        public int Han, Latin, Kana, Other, Exclamations;
        public readonly bool CapsDiffer => capsWords > 0 && lowerWords > 0;

        public void Run()
        {
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (IsHan(c))
                {
                    var end = i + 1;
                    while (end < text.Length && IsHan(text[end])) end++;
                    Han += end - i;
                    Chinese(text[i..end]);
                    i = end;
                }
                else if (IsLatin(c)) i = English(i);
                else if (Emoticon(i) is var length and > 0) i += length;
                else if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) == OperationStatus.Done && IsEmoji(rune))
                {
                    if (lexicon.Emoji.TryGetValue(rune.Value, out var valence)) Add(TokenKind.Emoji, new SentimentTerm(valence, 0, 0, false));
                    i += consumed;
                }
                else
                {
                    if (c is '!' or '！') Exclamations++;
                    if (IsBoundary(c)) Break();
                    else if (char.IsLetter(c)) Other++;
                    if (c is >= '\u3041' and <= '\u3096' or >= '\u30A1' and <= '\u30FA') Kana++;
                    i++;
                }
            }
        }

        /// <summary>Forward maximum matching of a run of Han characters; unknown characters in a row make one token.</summary>
        private void Chinese(ReadOnlySpan<char> run)
        {
            var lookup = lexicon.ChineseLookup;
            var unknown = false;
            var p = 0;
            while (p < run.Length)
            {
                var found = false;
                var longest = lexicon.ChineseMaxLength.GetValueOrDefault(run[p]);
                for (var length = Math.Min(longest, run.Length - p); length > 0; length--)
                {
                    if (!lookup.TryGetValue(run.Slice(p, length), out var term)) continue;
                    Add(TokenKind.Word, term, chinese: true);
                    p += length;
                    found = true;
                    unknown = false;
                    break;
                }
                if (found) continue;
                if (!unknown) Add(TokenKind.Word, default, chinese: true);
                unknown = true;
                p++;
            }
        }

        /// <summary>
        /// Words separated only by spaces or hyphens, lower-cased into the scratch buffer with single spaces, then
        /// matched as the longest phrase of up to four words at each word. Returns where the segment ends.
        /// </summary>
        private int English(int i)
        {
            var length = 0; // chars in scratch
            var count = 0;  // words; words[3w..3w+2] = start and end in scratch, 1 when in capitals
            while (i < text.Length)
            {
                var c = text[i];
                if (IsLatin(c))
                {
                    if (count > 0) scratch[length++] = ' ';
                    var start = length;
                    bool upper = true, lower = false;
                    while (i < text.Length)
                    {
                        c = text[i];
                        if (IsLatin(c))
                        {
                            Latin++;
                            if (char.IsLower(c)) { lower = true; upper = false; }
                            scratch[length++] = char.ToLowerInvariant(c);
                            i++;
                        }
                        else if (c is '\'' or '’' && i + 1 < text.Length && IsLatin(text[i + 1]) && length > start)
                        {
                            scratch[length++] = '\'';
                            i++;
                        }
                        else break;
                    }
                    var caps = upper && length - start > 1;
                    if (caps) capsWords++;
                    else if (lower) lowerWords++;
                    words[3 * count] = start;
                    words[3 * count + 1] = length;
                    words[3 * count + 2] = caps ? 1 : 0;
                    count++;
                }
                else if (c is ' ' or '\t' or '-') i++;
                else break;
            }
            Phrases(count);
            return i;
        }

        private void Phrases(int count)
        {
            var lookup = lexicon.EnglishLookup;
            var phrases = lexicon.PhraseWordsLookup;
            var w = 0;
            while (w < count)
            {
                var start = words[3 * w];
                var caps = words[3 * w + 2] == 1;
                var matched = false;
                var most = phrases.TryGetValue(scratch.AsSpan(start, words[3 * w + 1] - start), out var n) ? Math.Min(n, MaxPhraseWords) : 1;
                for (var last = Math.Min(count - 1, w + most - 1); last >= w; last--)
                {
                    var key = scratch.AsSpan(start, words[3 * last + 1] - start);
                    if (!lookup.TryGetValue(key, out var term)) continue;
                    Add(TokenKind.Word, term, caps: caps);
                    w = last + 1;
                    matched = true;
                    break;
                }
                if (matched) continue;
                var word = scratch.AsSpan(start, words[3 * w + 1] - start);
                Add(TokenKind.Word, word.EndsWith("n't") ? new SentimentTerm(0, 0, -0.74, false) : default, caps: caps);
                w++;
            }
        }

        /// <summary>An emoticon (":)", ":-(", "&lt;3") at i, not followed by a letter, digit or '/' (URLs); its length or 0.</summary>
        private int Emoticon(int i)
        {
            if (!lexicon.EmoticonStarts.Contains(text[i])) return 0;
            if (text[i] is '(' or ')' && i > 0 && !char.IsWhiteSpace(text[i - 1])) return 0;
            Span<char> key = stackalloc char[lexicon.EmoticonMaxLength];
            var lookup = lexicon.EmoticonLookup;
            for (var length = Math.Min(lexicon.EmoticonMaxLength, text.Length - i); length >= 2; length--)
            {
                var end = i + length;
                if (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '/')) continue;
                var slice = key[..length];
                text.Slice(i, length).ToLowerInvariant(slice);
                if (!lookup.TryGetValue(slice, out var term)) continue;
                Add(TokenKind.Emoji, term);
                return length;
            }
            return 0;
        }

        private void Break()
        {
            if (Count > 0 && tokens[Count - 1].Kind != TokenKind.Boundary) Add(TokenKind.Boundary, default);
        }

        private void Add(TokenKind kind, SentimentTerm term, bool caps = false, bool chinese = false) =>
            tokens[Count++] = new Token { Kind = kind, Term = term, Caps = caps, Chinese = chinese };
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';

    private static bool IsLatin(char c) => c < '\u0250' && char.IsLetter(c);

    private static bool IsBoundary(char c) => c is ',' or '.' or ';' or ':' or '!' or '?' or '\n' or '\r' or '…' or '~'
        or '，' or '。' or '；' or '：' or '！' or '？' or '、' or '～';

    /// <summary>Pictographs and the older symbol blocks emoji come from (☺ ♥ ❤ ✨ ⭐).</summary>
    private static bool IsEmoji(Rune rune) => rune.Value is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0x2B50 or 0x2B55;
}
