using System.Buffers;
using System.Globalization;
using System.Text;

namespace Platform.Crm.Service;

/// <summary>
/// Finds complaint words in text. Text and terms are folded alike: compatibility forms (full-width Ｌａｔｉｎ,
/// half-width katakana) to their plain letters, accents removed, lower case, and anything that is not a letter or a
/// digit (punctuation, emoji, hyphens) to one space, so "never-arrived!!" matches "never arrived".
/// </summary>
/// <remarks>
/// <para>Terms in scripts written without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar) match as
/// substrings: 没收到 is found in 我还没收到货.</para>
/// <para>Other terms match whole words: "broken" is not found in "unbroken", and a Latin word next to Chinese
/// ("我要refund") is a whole word. The last word may take a simple English suffix: s, es, ed, d, ing, the final e
/// dropped before ing (fake → faking), or the final consonant doubled after a vowel (scam → scammed, scamming).
/// Nothing else: "refund" matches "refunds", "refunded" and "refunding" but not "refundable" or "non-refundable",
/// which describe a policy, not a complaint.</para>
/// </remarks>
public sealed class ComplaintWords
{
    private readonly List<(string Term, string[] Forms, bool Substring)> _terms = [];

    /// <summary>A matcher for <paramref name="terms"/>; terms that fold to the same text are kept once (the first).</summary>
    /// <exception cref="ArgumentException">A term is empty or has no letters or digits; the message names its index.</exception>
    public ComplaintWords(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var term in terms)
        {
            var folded = Fold(term);
            if (folded.Length == 0)
                throw new ArgumentException($"terms[{i}] ('{term}') is empty or has no letters or digits: give a word or phrase, or remove it.", nameof(terms));
            if (seen.Add(folded))
                _terms.Add(Unspaced(folded) ? (term, [folded], true) : (term, Forms(folded), false));
            i++;
        }
    }

    /// <summary>English and Chinese (simplified and traditional) complaint words about refunds, returns, damage, fakes and missing parcels.</summary>
    public static IReadOnlyList<string> DefaultTerms { get; } =
    [
        "refund", "return", "broken", "damaged", "defective", "fake", "counterfeit", "never arrived", "never received",
        "not received", "missing", "wrong item", "not as described", "scam", "complaint", "complain",
        "退货", "退款", "退钱", "差评", "投诉", "破损", "假货", "没收到", "未收到", "坏了", "质量差", "骗子", "发错", "少发", "漏发",
        "退貨", "差評", "投訴", "破損", "假貨", "沒收到", "壞了", "質量差", "品質差", "騙子", "發錯",
    ];

    /// <summary>A matcher for <see cref="DefaultTerms"/>.</summary>
    public static ComplaintWords Default { get; } = new(DefaultTerms);

    /// <summary>The terms found (as given to the constructor), in the order of their first occurrence, each once; empty for null or empty text.</summary>
    public IReadOnlyList<string> Find(string? text)
    {
        var folded = Fold(text);
        if (folded.Length == 0) return [];
        var found = new List<(int At, int Index)>();
        for (var t = 0; t < _terms.Count; t++)
        {
            var (_, forms, substring) = _terms[t];
            var first = -1;
            foreach (var form in forms)
            {
                var at = substring ? folded.IndexOf(form, StringComparison.Ordinal) : WholeWord(folded, form);
                if (at >= 0 && (first < 0 || at < first)) first = at;
            }
            if (first >= 0) found.Add((first, t));
        }
        return [.. found.OrderBy(f => f.At).ThenBy(f => f.Index).Select(f => _terms[f.Index].Term)];
    }

    /// <summary>Where <paramref name="word"/> first occurs with no word character on either side, or -1.</summary>
    private static int WholeWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            if (!WordBefore(text, at) && !WordAfter(text, at + word.Length)) return at;
        }
        return -1;
    }

    private static bool WordBefore(string text, int at) =>
        at > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, at), out var r, out _) == OperationStatus.Done && IsWordRune(r);

    private static bool WordAfter(string text, int end) =>
        end < text.Length && Rune.DecodeFromUtf16(text.AsSpan(end), out var r, out _) == OperationStatus.Done && IsWordRune(r);

    /// <summary>A term and its suffixed forms (see the remarks): only when it ends in a letter a–z.</summary>
    private static string[] Forms(string term)
    {
        var last = term[^1];
        if (last is < 'a' or > 'z') return [term];
        var forms = new List<string> { term, term + "s", term + "es", term + "ed", term + "d", term + "ing" };
        if (last == 'e') forms.Add(term[..^1] + "ing");
        if (term.Length >= 2 && !IsVowel(last) && last is not ('w' or 'x' or 'y') && IsVowel(term[^2]))
        {
            forms.Add(term + last + "ed");
            forms.Add(term + last + "ing");
        }
        return [.. forms];
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>A letter or digit of a script that separates words with spaces.</summary>
    private static bool IsWordRune(Rune r) => Rune.IsLetterOrDigit(r) && !IsUnspaced(r.Value);

    private static bool Unspaced(string folded)
    {
        foreach (var r in folded.EnumerateRunes())
            if (IsUnspaced(r.Value)) return true;
        return false;
    }

    /// <summary>Scripts written without spaces between words (or, for Korean, with particles attached to words).</summary>
    private static bool IsUnspaced(int c) =>
        c is >= 0x0E00 and <= 0x0EFF      // Thai, Lao
        or >= 0x1000 and <= 0x109F        // Myanmar
        or >= 0x1100 and <= 0x11FF        // Hangul jamo
        or >= 0x1780 and <= 0x17FF        // Khmer
        or >= 0x2E80 and <= 0x2FDF        // CJK radicals
        or >= 0x3040 and <= 0x31FF        // Hiragana, Katakana, Bopomofo, Hangul compatibility jamo, katakana extensions
        or >= 0x3400 and <= 0x4DBF        // CJK extension A
        or >= 0x4E00 and <= 0x9FFF        // CJK unified ideographs
        or >= 0xAC00 and <= 0xD7AF        // Hangul syllables
        or >= 0xF900 and <= 0xFAFF        // CJK compatibility ideographs
        or >= 0x20000 and <= 0x3FFFF;     // CJK extensions B and later

    /// <summary>
    /// Compatibility-decomposed, accents removed, lower case, every run of non-letters and non-digits one space
    /// (trimmed). The same rules as <see cref="Text.TextFold"/>, but word characters only, and by code point so
    /// characters outside the Basic Multilingual Plane (CJK extension B) survive.
    /// </summary>
    private static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var rune in Valid(text).Normalize(NormalizationForm.FormKD).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            if (Rune.IsLetterOrDigit(rune))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                var lower = Rune.ToLowerInvariant(rune);
                sb.Append(lower.Value switch
                {
                    'đ' => "d",
                    'ø' => "o",
                    'ł' => "l",
                    'ß' => "s",
                    'ı' => "i",
                    _ => lower.ToString(),
                });
            }
            else space = true;
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The text with lone surrogates replaced by U+FFFD (normalization throws on them).</summary>
    private static string Valid(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            var sb = new StringBuilder(text.Length);
            foreach (var r in text.EnumerateRunes()) sb.Append(r.ToString());
            return sb.ToString();
        }
        return text;
    }
}
