using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace Platform.Crm.Service;

/// <summary>
/// What one lexicon term does: a sentiment valence (VADER's scale, about -4..4), a booster added to the magnitude of a
/// following sentiment term, a negation factor applied to one (-0.74 flips it), and/or a contrast marker ("but").
/// <paramref name="NegatedValence"/> is a valence that counts only under negation (what a product should do: "work",
/// "fit", "收到" are neutral, "doesn't work", "didn't fit", "没收到" are complaints); <paramref name="Fixed"/> terms keep
/// their sign under negation (a refund or a complaint stays one in "no refund", "不给退款").
/// A term with nothing set is a blocker: it exists so longest match keeps a neutral word (快递) from being read as
/// the sentiment term inside it (快).
/// </summary>
internal readonly record struct SentimentTerm(double Valence, double Boost, double Negation, bool Contrast, double NegatedValence = 0, bool Fixed = false)
{
    public bool HasValence => Valence != 0 || NegatedValence != 0;
}

/// <summary>
/// The lexicons embedded under Service/Lexicons (sources and licences in its README.md), loaded once on first use.
/// English keys are lower case, phrases joined by single spaces; Chinese keys are matched by forward maximum matching;
/// emoji by their first code point.
/// </summary>
internal sealed class SentimentLexicon
{
    private static readonly Lazy<SentimentLexicon> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static SentimentLexicon Shared => Instance.Value;

    public required FrozenDictionary<string, SentimentTerm> English { get; init; }
    public required FrozenDictionary<string, SentimentTerm> Emoticons { get; init; }
    public required FrozenDictionary<string, SentimentTerm> Chinese { get; init; }
    public required FrozenDictionary<int, double> Emoji { get; init; }

    /// <summary>Longest Chinese key starting with each character, in chars (bounds the forward maximum match).</summary>
    public required FrozenDictionary<char, int> ChineseMaxLength { get; init; }

    /// <summary>Most words in an English phrase starting with each word (only words that start a phrase).</summary>
    public required FrozenDictionary<string, int> PhraseWords { get; init; }

    /// <summary>Longest emoticon, in chars.</summary>
    public required int EmoticonMaxLength { get; init; }

    /// <summary>Characters an emoticon can start with.</summary>
    public required FrozenSet<char> EmoticonStarts { get; init; }

    public required FrozenDictionary<string, SentimentTerm>.AlternateLookup<ReadOnlySpan<char>> EnglishLookup { get; init; }

    public required FrozenDictionary<string, SentimentTerm>.AlternateLookup<ReadOnlySpan<char>> ChineseLookup { get; init; }

    public required FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> PhraseWordsLookup { get; init; }

    public required FrozenDictionary<string, SentimentTerm>.AlternateLookup<ReadOnlySpan<char>> EmoticonLookup { get; init; }

    private static SentimentLexicon Load()
    {
        var words = new Dictionary<string, SentimentTerm>(StringComparer.Ordinal);
        var emoticons = new Dictionary<string, SentimentTerm>(StringComparer.Ordinal);
        foreach (var (term, value) in Valences("en_vader.tsv").Concat(Valences("en_extra.tsv")))
        {
            var key = term.ToLowerInvariant();
            if (char.IsDigit(key[0])) continue; // VADER's number slang (143, 187) would score prices and order numbers
            var target = char.IsLetter(key[0]) ? words : emoticons;
            target[key] = target.GetValueOrDefault(key) with { Valence = value };
        }
        Modifiers("en_modifiers.tsv", words);
        // "doesn't work" also as "doesnt work": chat often drops the apostrophe
        foreach (var (key, term) in words.ToList())
            if (key.Contains("n't", StringComparison.Ordinal)) words.TryAdd(key.Replace("n't", "nt", StringComparison.Ordinal), term);

        var chinese = new Dictionary<string, SentimentTerm>(StringComparer.Ordinal);
        foreach (var (term, value) in Valences("zh_core.tsv"))
            chinese[term] = chinese.GetValueOrDefault(term) with { Valence = value };
        Modifiers("zh_modifiers.tsv", chinese);

        var emoji = new Dictionary<int, double>();
        foreach (var (term, value) in Valences("emoji.tsv"))
            emoji[char.ConvertToUtf32(term, 0)] = value;

        var english = words.ToFrozenDictionary(StringComparer.Ordinal);
        var emoticonTerms = emoticons.ToFrozenDictionary(StringComparer.Ordinal);
        var chineseTerms = chinese.ToFrozenDictionary(StringComparer.Ordinal);
        var phraseWords = words.Keys.Where(k => k.Contains(' ')).GroupBy(k => k[..k.IndexOf(' ')], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Max(k => k.Count(c => c == ' ') + 1), StringComparer.Ordinal);
        return new SentimentLexicon
        {
            English = english,
            EnglishLookup = english.GetAlternateLookup<ReadOnlySpan<char>>(),
            Emoticons = emoticonTerms,
            EmoticonLookup = emoticonTerms.GetAlternateLookup<ReadOnlySpan<char>>(),
            Chinese = chineseTerms,
            ChineseLookup = chineseTerms.GetAlternateLookup<ReadOnlySpan<char>>(),
            Emoji = emoji.ToFrozenDictionary(),
            ChineseMaxLength = chinese.Keys.GroupBy(k => k[0]).ToFrozenDictionary(g => g.Key, g => g.Max(k => k.Length)),
            PhraseWords = phraseWords,
            PhraseWordsLookup = phraseWords.GetAlternateLookup<ReadOnlySpan<char>>(),
            EmoticonMaxLength = emoticons.Keys.Max(k => k.Length),
            EmoticonStarts = emoticons.Keys.Select(k => k[0]).ToFrozenSet(),
        };
    }

    /// <summary>Lines "term TAB valence"; '#' starts a comment line.</summary>
    private static IEnumerable<(string Term, double Value)> Valences(string file)
    {
        foreach (var fields in Lines(file))
            if (fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                yield return (fields[0], value);
    }

    /// <summary>Lines "term TAB neg|boost|contrast|negated|fixed TAB value", merged into the terms already there.</summary>
    private static void Modifiers(string file, Dictionary<string, SentimentTerm> into)
    {
        foreach (var fields in Lines(file))
        {
            if (fields.Length < 3 || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            var term = into.GetValueOrDefault(fields[0]);
            into[fields[0]] = fields[1] switch
            {
                "neg" => term with { Negation = value },
                "boost" => term with { Boost = value },
                "contrast" => term with { Contrast = true },
                "negated" => term with { NegatedValence = value },
                "fixed" => term with { Fixed = true },
                _ => term,
            };
        }
    }

    private static IEnumerable<string[]> Lines(string file)
    {
        var assembly = typeof(SentimentLexicon).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Lexicons." + file, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            if (fields[0].Length > 0) yield return fields;
        }
    }
}
